"""Spreadsheet exports that a spreadsheet program cannot turn into formulas."""

from django.utils import timezone, translation
from wagtail.admin.views.mixins import SpreadsheetExportMixin

#: A text cell starting with one of these may be run as a formula (or DDE) by spreadsheet programs.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "|", "%")


def in_request_locale(iterable):
    """``iterable`` with each item made in the language and time zone active now.

    Wagtail's admin activates the user's language and time zone around the view only, and a
    streamed export makes its rows after the view has returned: without this, a Swedish user's
    CSV came out in Finnish, in the server's time zone.
    """
    language, zone = translation.get_language(), timezone.get_current_timezone()

    def items():
        iterator = iter(iterable)
        while True:
            with translation.override(language), timezone.override(zone):
                try:
                    item = next(iterator)
                except StopIteration:
                    return
            yield item

    return items()


def neutralise(value):
    """Prefix dangerous text with an apostrophe; numbers and other types pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class SafeSpreadsheetExportMixin(SpreadsheetExportMixin):
    """Wagtail's CSV/XLSX export with every text cell neutralised after its own preprocessing."""

    def preprocess_field_value(self, field, value, export_format):
        return neutralise(super().preprocess_field_value(field, value, export_format))

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response.streaming_content = in_request_locale(response.streaming_content)
        return response
