"""Spreadsheet exports that a spreadsheet program opens safely and reads as meant.

Every cell of every export (CSV and XLSX, the plugin's own writers and Wagtail's) goes through
``neutralise`` (text) or ``timestamp`` (date and time): text loses the characters XML 1.0 cannot
carry and cannot turn into a formula; times are local, naive and to the second.
"""

import datetime
import itertools
import re

from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from wagtail.admin.views.mixins import SpreadsheetExportMixin

#: A text cell starting with one of these may be run as a formula (or DDE) by spreadsheet programs.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "|", "%")

#: Characters XML 1.0 cannot carry: openpyxl's control characters (it refuses them) plus the
#: surrogates and the non-characters U+FFFE and U+FFFF, which openpyxl writes and which then make
#: the whole file unreadable. Dropped from every cell, CSV too, so both formats hold the same text.
XML_ILLEGAL = re.compile(ILLEGAL_CHARACTERS_RE.pattern + r"|[\ud800-\udfff\ufffe\uffff]")

#: The one way a time is written as text (CSV): a naive ``datetime``'s ``str()`` without
#: microseconds; XLSX keeps it a date cell.
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"

#: Excel reads a CSV file as UTF-8 (ä, ö, å) only when it starts with a byte-order mark.
UTF8_BOM = b"\xef\xbb\xbf"


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
    """A spreadsheet cell from ``value``: text without characters XML cannot hold, and prefixed
    with an apostrophe when it could start a formula; other types pass unchanged."""
    if isinstance(value, str):
        if XML_ILLEGAL.search(value):
            value = XML_ILLEGAL.sub("", value)
        if value.startswith(FORMULA_TRIGGERS):
            return "'" + value
    return value


def timestamp(value, zone=None):
    """A date and time as a spreadsheet cell: naive local time in ``zone`` (default: the current
    time zone) to the second; spreadsheet programs know no time zones."""
    if value is None:
        return None
    if timezone.is_aware(value):
        value = value.astimezone(zone or timezone.get_current_timezone()).replace(tzinfo=None)
    return value.replace(microsecond=0)


class SafeSpreadsheetExportMixin(SpreadsheetExportMixin):
    """Wagtail's CSV/XLSX export with every cell and heading through ``neutralise`` or
    ``timestamp``, and a CSV Excel reads as UTF-8."""

    def preprocess_field_value(self, field, value, export_format):
        if isinstance(value, datetime.datetime):
            # Wagtail would write aware times as UTC (XLSX) or with microseconds and offset (CSV).
            return timestamp(value)
        return neutralise(super().preprocess_field_value(field, value, export_format))

    def get_heading(self, queryset, field):
        return neutralise(super().get_heading(queryset, field))

    def write_csv_response(self, queryset):
        """Wagtail's streamed CSV response, with the byte-order mark in front of the stream and
        the rows made in the reader's language and time zone."""
        response = StreamingHttpResponse(
            itertools.chain([UTF8_BOM], in_request_locale(self.stream_csv(queryset))),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.csv"'
        return response
