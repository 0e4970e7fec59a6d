"""A PDF's first pages as PNG images (``pdftoppm``, poppler-utils), for a preview the
page shows inline: no download, no PDF viewer, nothing framed (the CSP forbids it)."""

from __future__ import annotations

import base64
import subprocess
import tempfile
from pathlib import Path

ATTESA_MASSIMA = 60  # seconds


class AnteprimaNonRiuscita(RuntimeError):
    pass


def pagine_png(pdf: bytes, max_pagine: int = 4, risoluzione: int = 80) -> list[str]:
    """The first ``max_pagine`` pages of ``pdf`` as data: URIs of PNG images."""
    with tempfile.TemporaryDirectory(prefix="anteprima-") as cartella:
        sorgente = Path(cartella) / "anteprima.pdf"
        sorgente.write_bytes(pdf)
        comando = [
            "pdftoppm",
            "-png",
            "-r",
            str(risoluzione),
            "-f",
            "1",
            "-l",
            str(max_pagine),
            str(sorgente),
            str(Path(cartella) / "pagina"),
        ]
        try:
            subprocess.run(comando, check=True, capture_output=True, timeout=ATTESA_MASSIMA)  # noqa: S603
        except (OSError, subprocess.SubprocessError) as exc:
            raise AnteprimaNonRiuscita(
                "Non è stato possibile mostrare l'anteprima (pdftoppm non disponibile o in "
                "errore sul server)."
            ) from exc
        immagini = sorted(Path(cartella).glob("pagina*.png"))
        return [
            "data:image/png;base64," + base64.b64encode(f.read_bytes()).decode() for f in immagini
        ]


def numero_pagine(pdf: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)
