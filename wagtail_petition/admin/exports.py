"""Spreadsheet exports that are safe to open: no cell runs as a formula."""

import csv
import re
from collections.abc import Callable, Iterator

from .. import osdi

#: What a spreadsheet would read as a formula: "=", "+", "-", "@", tab, carriage return.
FORMULA_START = re.compile(r"^[=+\-@\t\r]")


def neutralise_formula(value):
    """Prefix a text cell that a spreadsheet would run as a formula with an
    apostrophe, so that it is shown as text (OWASP's advice for CSV injection)."""
    if isinstance(value, str) and FORMULA_START.match(value):
        return "'" + value
    return value


class FormulaFreeExportMixin:
    """For views with Wagtail's ``list_export``: every text cell of the CSV and
    XLSX files is neutralised, whatever its source (a signer's name, an
    editor's petition title, a translated label)."""

    def preprocess_field_value(self, field, value, export_format):
        return neutralise_formula(super().preprocess_field_value(field, value, export_format))


class Line:
    """A file for ``csv.writer`` that hands back each line instead of keeping it."""

    def write(self, line):
        return line


def action_network_csv(
    signatures, *, chunk_size: int = osdi.CHUNK_SIZE, on_signature: Callable | None = None
) -> Iterator[str]:
    """A CSV file for Action Network's list upload, line by line: the signers of
    ``signatures`` (see ``osdi.exportable()``) who gave confirmed consent, and
    only them, as Action Network subscribes everyone uploaded. Cells that would
    run as formulas are neutralised: the file may be opened in a spreadsheet
    before it is uploaded."""
    writer = csv.writer(Line())
    yield writer.writerow(osdi.ACTION_NETWORK_COLUMNS)
    for signature in osdi.consented(signatures).iterator(chunk_size=chunk_size):
        yield writer.writerow([neutralise_formula(v) for v in osdi.action_network_row(signature)])
        if on_signature is not None:
            on_signature(signature)
