"""An uploaded logo or stemma: a PNG or JPEG image, small, decoded only once its size
is known to be reasonable. One check for the comune's stemma (peg.anagrafica) and the
print models' logos (reporting.modelli)."""

import io

LOGO_MAX_KB = 256
LOGO_MAX_LATO = 4000  # pixels: a bigger image is refused before being decoded
LOGO_FORMATI = {"PNG": "image/png", "JPEG": "image/jpeg"}


class ImmagineNonValida(ValueError):
    pass


def troppo_grande(dimensione: int) -> str:
    return (
        f"Logo: il file è di {dimensione // 1024} KB, il massimo è {LOGO_MAX_KB} KB. "
        "Ridurre l'immagine e riprovare."
    )


def verifica_logo(contenuto: bytes) -> str:
    """The image's format (PNG or JPEG) if ``contenuto`` is an acceptable logo; raises
    ImmagineNonValida with the reason in Italian otherwise."""
    from PIL import Image, UnidentifiedImageError

    if len(contenuto) > LOGO_MAX_KB * 1024:
        raise ImmagineNonValida(troppo_grande(len(contenuto)))
    non_valido = ImmagineNonValida("Logo: il file non è un'immagine PNG o JPEG.")
    try:
        with Image.open(io.BytesIO(contenuto)) as immagine:
            formato = immagine.format
            larghezza, altezza = immagine.size
            if formato in LOGO_FORMATI and max(larghezza, altezza) <= LOGO_MAX_LATO:
                immagine.verify()
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
    ) as exc:
        raise non_valido from exc
    if formato not in LOGO_FORMATI:
        raise non_valido
    if max(larghezza, altezza) > LOGO_MAX_LATO:
        raise ImmagineNonValida(
            f"Logo: l'immagine è di {larghezza}×{altezza} pixel, il massimo è "
            f"{LOGO_MAX_LATO} per lato."
        )
    return formato
