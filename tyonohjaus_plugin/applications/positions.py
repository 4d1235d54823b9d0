"""The applicant's place on the waiting list: "Waiting for a supervisor who speaks Swedish: you
are 3rd in line".

The rank is counted among waiting-list applications (``ApplicationQuerySet.waiting_list``) of
the same format needing the same languages, longest waiting first; only the ordinal is shown,
nothing about the others.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from tyonohjaus_plugin.models import Application

#: The language as the object of "speaks" (the Finnish partitive, say).
SPEAKS = {
    "fi": pgettext_lazy("a supervisor who speaks", "Finnish"),
    "sv": pgettext_lazy("a supervisor who speaks", "Swedish"),
    "en": pgettext_lazy("a supervisor who speaks", "English"),
}


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 11th, 21st… in the active language (Finnish "3.", Swedish "3:e", "1:a");
    the same cases as ``django.contrib.humanize``'s ``ordinal``."""
    if number % 100 in (11, 12, 13):
        template = pgettext("ordinal 11, 12, 13", "%(number)sth")
    else:
        template = {
            1: pgettext("ordinal 1", "%(number)sst"),
            2: pgettext("ordinal 2", "%(number)snd"),
            3: pgettext("ordinal 3", "%(number)srd"),
        }.get(number % 10) or pgettext("ordinal other", "%(number)sth")
    return template % {"number": number}


def languages_text(codes) -> str:
    names = dict(settings.LANGUAGES)
    words = [str(SPEAKS.get(code, names.get(code, code))) for code in codes]
    if len(words) <= 1:
        return "".join(words)
    return _("%(languages)s or %(last)s") % {"languages": ", ".join(words[:-1]), "last": words[-1]}


def waiting_positions(applications) -> dict[int, int]:
    """application id -> its 1-based place, for those of ``applications`` on the waiting list."""
    ids = [application.pk for application in applications]
    listed = Application.objects.waiting_list()
    waiting = set(listed.filter(pk__in=ids).values_list("pk", flat=True))
    positions = {}
    for application in applications:
        if application.pk not in waiting:
            continue
        key = (application.submitted_at, application.pk)
        ahead = (
            Application.objects.waiting_list()
            .filter(format=application.format, submitted_at__lte=application.submitted_at)
            .exclude(pk=application.pk)
            .values_list("submitted_at", "pk", "languages")
        )
        same = sorted(application.languages)
        positions[application.pk] = 1 + sum(
            1 for at, pk, langs in ahead if (at, pk) < key and sorted(langs) == same
        )
    return positions


def position_text(application, position: int) -> str:
    return _("Waiting for a supervisor who speaks %(languages)s: you are %(ordinal)s in line.") % {
        "languages": languages_text(application.languages),
        "ordinal": ordinal(position),
    }
