"""Pages pinned as they were (a gzipped JSON file: name → normalised HTML), compared
after a change that must not alter them; an environment variable writes the file again
after a deliberate change."""

import difflib
import gzip
import json
import os
from pathlib import Path

import pytest


def confronta(pagine: dict[str, str], file: Path, aggiorna: str, adatta=lambda v: v) -> None:
    """Fails with the first difference; ``aggiorna``: the variable that rewrites ``file``;
    ``adatta``: applied to the stored pages (a normalisation added later)."""
    if os.environ.get(aggiorna):
        file.parent.mkdir(exist_ok=True)
        with gzip.open(file, "wt", encoding="utf-8") as f:
            json.dump(pagine, f, ensure_ascii=False, indent=0, sort_keys=True)
    with gzip.open(file, "rt", encoding="utf-8") as f:
        attese = {k: adatta(v) for k, v in json.load(f).items()}
    assert sorted(pagine) == sorted(attese)
    diverse = [k for k in sorted(pagine) if pagine[k] != attese[k]]
    if diverse:
        k = diverse[0]
        righe = difflib.unified_diff(attese[k].splitlines(), pagine[k].splitlines(), lineterm="")
        diff = "\n".join(list(righe)[:60])
        pytest.fail(f"{len(diverse)} pagine diverse, per prima «{k}»:\n{diff}")
