"""Each built-in print model reproduces its document (issue 13): the demo books, printed
with the default command, hold >= 95% of the seed's word pairs and >= 80% of their own
pairs come from the seed. The figures are printed (``-s`` or the benchmark)."""

import io

import pytest
from django.core.management import call_command

from tests import fedelta


@pytest.mark.django_db
@pytest.mark.parametrize("nome", list(fedelta.DOCUMENTI))
def test_il_libro_e_il_documento(nome, demo, tmp_path, capsys):
    demo(fedelta.DOCUMENTI[nome][1])
    libro = fedelta.stampa_libri(
        nome, tmp_path, lambda argomenti: call_command(*argomenti, stdout=io.StringIO())
    )
    esito = fedelta.misura(nome, fedelta.documento(nome), libro)
    with capsys.disabled():
        print(f"\n{esito}")
    assert esito.del_documento >= fedelta.MINIMO_DOCUMENTO, esito
    assert esito.dal_documento >= fedelta.MINIMO_LIBRO, esito
