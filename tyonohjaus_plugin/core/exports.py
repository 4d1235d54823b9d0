"""Spreadsheet exports that a spreadsheet program cannot turn into formulas."""

from wagtail.admin.views.mixins import SpreadsheetExportMixin

#: A text cell starting with one of these may be run as a formula (or DDE) by spreadsheet programs.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "|", "%")


def neutralise(value):
    """Prefix dangerous text with an apostrophe; numbers and other types pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class SafeSpreadsheetExportMixin(SpreadsheetExportMixin):
    """Wagtail's CSV/XLSX export with every text cell neutralised after its own preprocessing."""

    def preprocess_field_value(self, field, value, export_format):
        return neutralise(super().preprocess_field_value(field, value, export_format))
