"""Spreadsheet exports that are safe to open: no cell runs as a formula."""

import re

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
