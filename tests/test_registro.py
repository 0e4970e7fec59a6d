"""What the application writes to its log (LOGGING in peg/settings.py)."""

import logging


def test_il_sottoinsieme_dei_caratteri_dei_pdf_non_riempie_il_registro():
    # WeasyPrint embeds fonts through fontTools, which reports every table at INFO:
    # about forty lines per PDF in the task worker's and the commands' output.
    assert not logging.getLogger("fontTools.subset").isEnabledFor(logging.INFO)
    assert logging.getLogger("fontTools.subset").isEnabledFor(logging.WARNING)
    # The application's own INFO lines still go out.
    assert logging.getLogger("peg.posta").isEnabledFor(logging.INFO)
