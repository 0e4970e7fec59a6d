"""Print models: built-in ones reproducing the four documents, the segreteria's copies,
the piano's choice (see docs/stampe.md)."""

from . import predefiniti  # noqa: F401 - registers the section kinds
