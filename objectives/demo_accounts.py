"""Demo accounts (password ``demo``) with their roles in the four demo comuni."""

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from peg.models import Comune, Persona, Piano, Ruolo, Settore

from .models import Campagna

PASSWORD = "demo"
GRUPPO_SEGRETERIA = "Segreteria"
SEGRETERIA_APPS = ("peg", "objectives", "indicators")
READ_ONLY_MODELS = ("missione", "programma", "ambitoperformance")

# username -> (first name, last name, comune slug, settore nome)
RESPONSABILI = {
    "meschi": ("Maura", "Meschi", "chiavari", "Maura Meschi"),
    "chiozzi": ("Orsolina", "Chiozzi", "soresina", "Orsolina Chiozzi"),
    "pacchetti": ("Stefano Luigi", "Pacchetti", "seregno", "Stefano Luigi Pacchetti"),
    "conti": ("Mario", "Conti", "cinisello-balsamo", "Mario Conti"),
}


def utente_demo(username, first_name="", last_name="", staff=False):
    """Create a demo user; an existing account keeps its password and flags, and gets
    an address (for the campagne's e-mails) only if it has none."""
    email = f"{username}@example.org"
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "is_staff": staff,
            "email": email,
        },
    )
    if created:
        user.set_password(PASSWORD)
        user.save()
    elif not user.email:
        user.email = email
        user.save(update_fields=["email"])
    return user


def ruolo_demo(utente, comune, tipo: str) -> None:
    """Give a demo user a role (the apps above add their demo users through here)."""
    Ruolo.objects.get_or_create(utente=utente, comune=comune, tipo=tipo)


def gruppo_segreteria() -> Group:
    """Admin permissions of the segreteria: the plan's data, read-only national tables."""
    group, _ = Group.objects.get_or_create(name=GRUPPO_SEGRETERIA)
    perms = Permission.objects.filter(content_type__app_label__in=SEGRETERIA_APPS)
    allowed = [
        p
        for p in perms
        if (p.content_type.model not in READ_ONLY_MODELS or p.codename.startswith("view_"))
        and p.codename not in ("add_comune", "delete_comune")
    ]
    group.permissions.set(allowed)
    return group


@transaction.atomic
def crea_utenti_demo(slugs) -> list[str]:
    comuni = {c.slug: c for c in Comune.objects.filter(slug__in=slugs)}
    segreteria = utente_demo("segreteria", "Segreteria", "Generale", staff=True)
    segreteria.groups.add(gruppo_segreteria())
    oiv = utente_demo("oiv", "Nucleo", "di valutazione")
    for comune in comuni.values():
        Ruolo.objects.get_or_create(utente=segreteria, comune=comune, tipo=Ruolo.Tipo.SEGRETERIA)
        Ruolo.objects.get_or_create(utente=oiv, comune=comune, tipo=Ruolo.Tipo.OIV)
    created = ["segreteria", "oiv"]
    for username, (first, last, slug, persona_nome) in RESPONSABILI.items():
        comune = comuni.get(slug)
        if comune is None:
            continue
        user = utente_demo(username, first, last)
        ruolo, _ = Ruolo.objects.get_or_create(
            utente=user, comune=comune, tipo=Ruolo.Tipo.RESPONSABILE
        )
        settori = Settore.objects.filter(comune=comune, responsabili__nome=persona_nome)
        ruolo.settori.set(settori)
        comune.persone.filter(nome=persona_nome).update(utente=user)
        created.append(username)
    return created


# Seregno and Cinisello have reported 2019: their final round is over and closed.
CAMPAGNE_CHIUSE = ("seregno", "cinisello-balsamo")


@transaction.atomic
def crea_campagne_demo(slugs) -> int:
    """A closed final campagna di rilevazione 2019 for the demo comuni already reported."""
    segreteria = get_user_model().objects.filter(username="segreteria").first()
    create = 0
    for piano in Piano.objects.filter(
        comune__slug__in=[s for s in slugs if s in CAMPAGNE_CHIUSE], obiettivi__anno=2019
    ).distinct():
        _, created = Campagna.objects.get_or_create(
            piano=piano,
            anno=2019,
            momento=Campagna.Momento.FINALE,
            defaults={
                "data_riferimento": date(2019, 12, 31),
                "apertura": date(2020, 1, 7),
                "scadenza": date(2020, 2, 28),
                "chiusa_il": timezone.make_aware(datetime(2020, 2, 28, 18, 0)),
                "avviso_apertura_il": timezone.make_aware(datetime(2020, 1, 7, 7, 0)),
                "creata_da": segreteria,
                "note": "Rendicontazione finale 2019 per la relazione sulla performance.",
            },
        )
        create += created
    return create


def crea_utenti_sintetici(comune, settori, nomi, password) -> tuple[str, list[str]]:
    """The users of a synthetic comune (``genera_dati --utenti``, the load test):
    ``nomi`` = the segreteria's username, then one responsabile's per settore (a Persona
    among the settore's responsabili, linked to the user, and a Ruolo on it). One password
    hash for all: hashing is slow on purpose, and these are test accounts."""
    User = get_user_model()
    segr, *resp = nomi
    hash_ = make_password(password)
    utenti = User.objects.bulk_create(
        [User(username=segr, first_name="Segreteria", last_name=comune.nome, password=hash_)]
        + [
            User(
                username=nome,
                first_name="Responsabile",
                last_name=settore.nome,
                email=f"{nome}@example.org",
                password=hash_,
            )
            for nome, settore in zip(resp, settori, strict=True)
        ]
    )
    Ruolo.objects.create(utente=utenti[0], comune=comune, tipo=Ruolo.Tipo.SEGRETERIA)
    persone = Persona.objects.bulk_create(
        Persona(comune=comune, nome=f"{u.first_name} {u.last_name}", utente=u) for u in utenti[1:]
    )
    ruoli = Ruolo.objects.bulk_create(
        Ruolo(utente=u, comune=comune, tipo=Ruolo.Tipo.RESPONSABILE) for u in utenti[1:]
    )
    Settore.responsabili.through.objects.bulk_create(
        Settore.responsabili.through(settore=s, persona=p)
        for s, p in zip(settori, persone, strict=True)
    )
    Ruolo.settori.through.objects.bulk_create(
        Ruolo.settori.through(ruolo=r, settore=s) for r, s in zip(ruoli, settori, strict=True)
    )
    return segr, resp
