"""Ids from URLs, query strings and forms: one parser for every primary key the plugin reads.

Anything that is not a valid key of a ``BigAutoField`` (1 .. 2**63 - 1) is treated as no id at all:
a path does not match (404), a query value is ignored or answered with 404, a form field says
"Select a valid choice". Without it, a too-big number is an ``OverflowError`` on SQLite and
PostgreSQL, and "²" passes ``str.isdigit()`` but fails ``int()``: both were 500s.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.urls import register_converter

#: The largest value of a BigAutoField (a signed 64-bit integer) on every supported database.
MAX_PK = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")  # ASCII only: "²" and "١" are digits to str.isdigit()


def parse_pk(value) -> int | None:
    """The primary key ``value`` names, or ``None`` if it cannot name one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if 1 <= number <= MAX_PK else None


def parse_pks(values) -> set[int]:
    """The valid keys among ``values`` (for example ``request.GET.getlist("id")``)."""
    return {pk for pk in map(parse_pk, values) if pk is not None}


class PkConverter:
    """``<tyonohjaus_pk:pk>`` in URL patterns: a path with anything else does not match (404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        pk = parse_pk(value)
        if pk is None:
            raise ValueError(value)  # the resolver tries the next pattern, then answers 404
        return pk

    def to_url(self, value) -> str:
        return str(value)


register_converter(PkConverter, "tyonohjaus_pk")


class _PkValues:
    """Turn values that cannot be a key into the field's own "Select a valid choice" error
    before they reach the database."""

    def _check_pk(self, value):
        if self.to_field_name or value in self.empty_values:
            return value
        if isinstance(value, self.queryset.model):
            return value
        pk = parse_pk(value.strip() if isinstance(value, str) else value)
        if pk is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return pk


class PkModelChoiceField(_PkValues, forms.ModelChoiceField):
    def to_python(self, value):
        return super().to_python(self._check_pk(value))


class PkModelMultipleChoiceField(_PkValues, forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        try:
            value = [self._check_pk(item) for item in value]
        except TypeError:  # not a list: Django's own check says so
            pass
        return super()._check_values(value)
