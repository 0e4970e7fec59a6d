"""Admin restricted to the comuni where the user is segreteria (superusers see all).

Every tenant model registers the lookup from itself to its Comune; from that one
table the admin derives what a user may list, which choices a form offers, and
that an object never points at another comune's records.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Model, Q, QuerySet

from .models import Comune, Ruolo

# Lookup from each tenant model to its comune ("" for Comune itself).
COMUNE_PATHS: dict[type[Model], str] = {Comune: ""}


def register_path(model, path: str) -> None:
    COMUNE_PATHS[model] = path


def comuni_segreteria(user) -> QuerySet[Comune]:
    if user.is_superuser:
        return Comune.objects.all()
    return Comune.objects.filter(ruoli__utente=user, ruoli__tipo=Ruolo.Tipo.SEGRETERIA)


def comune_of(obj) -> Comune | None:
    """Walk the registered path from a tenant object to its comune."""
    path = COMUNE_PATHS[type(obj)]
    for step in path.split("__") if path else []:
        obj = getattr(obj, step, None)
        if obj is None:
            return None
    return obj


def scope(user, queryset: QuerySet, path: str) -> QuerySet:
    if user.is_superuser:
        return queryset
    return queryset.filter(**{f"{path}__in" if path else "pk__in": comuni_segreteria(user)})


class SameComuneForm(forms.ModelForm):
    """Refuses links to records of another comune than the object's own."""

    def clean(self):
        cleaned = super().clean()
        own = self._own_comune(cleaned)
        if own is None:
            return cleaned
        for name, value in list(cleaned.items()):  # add_error() removes the field
            items = value if isinstance(value, QuerySet | list | tuple) else [value]
            for item in items:
                if type(item) in COMUNE_PATHS and name != self._first_step:
                    other = comune_of(item)
                    if other is not None and other.pk != own.pk:
                        self.add_error(name, f"«{item}» appartiene a un altro comune ({other}).")
        return cleaned

    @property
    def _first_step(self) -> str:
        return COMUNE_PATHS[self._meta.model].split("__")[0]

    def _own_comune(self, cleaned) -> Comune | None:
        path = COMUNE_PATHS[self._meta.model]
        if not path:
            return self.instance if self.instance.pk else None
        first = cleaned.get(self._first_step) or getattr(self.instance, self._first_step, None)
        if first is None:
            return None
        return first if isinstance(first, Comune) else comune_of(first)


class ComuneScopedMixin:
    form = SameComuneForm

    @property
    def comune_path(self) -> str:
        return COMUNE_PATHS[self.model]

    def get_queryset(self, request):
        return scope(request.user, super().get_queryset(request), self.comune_path)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._limit(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._limit(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _limit(self, db_field, request, kwargs):
        model = db_field.related_model
        if model in COMUNE_PATHS:
            queryset = scope(request.user, model._default_manager.all(), COMUNE_PATHS[model])
            if model is not Comune and hasattr(model, "comune"):
                queryset = queryset.select_related("comune")
            kwargs["queryset"] = queryset
        elif model is get_user_model() and not request.user.is_superuser:
            # Accounts of my comuni, and accounts with no role yet (to give them one).
            mine = comuni_segreteria(request.user)
            kwargs["queryset"] = model._default_manager.filter(
                Q(ruoli__comune__in=mine) | Q(ruoli__isnull=True)
            ).distinct()

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        first = self.comune_path.split("__")[0]
        # Moving an object to another comune would strand what hangs off it.
        if obj is not None and first:
            readonly += (first,)
        return readonly


class ScopedInline(ComuneScopedMixin, admin.TabularInline):
    extra = 0

    def get_readonly_fields(self, request, obj=None):
        return admin.TabularInline.get_readonly_fields(self, request, obj)


def anno_filter(path: str, title: str = "anno"):
    """A list filter on a year, offering only the years of the rows the user may see."""

    class AnnoFilter(admin.SimpleListFilter):
        parameter_name = path

        def lookups(self, request, model_admin):
            anni = model_admin.get_queryset(request).values_list(path, flat=True)
            return [(anno, anno) for anno in sorted(set(anni) - {None})]

        def queryset(self, request, queryset):
            return queryset.filter(**{path: self.value()}) if self.value() else queryset

    AnnoFilter.title = title
    return AnnoFilter
