"""The engine's reason codes as sentences in the HR user's language.

The engine stores codes and parameters (language codes, formats, theme translation keys, counts),
so a proposal reads in whichever language the person opening the board uses.
"""

from __future__ import annotations

from django.utils.translation import get_language_info, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from tyonohjaus_plugin.models import ApplicationFormat, ThemeCatalogue

PAIR_MESSAGES = {
    "pinned": _("Pinned by HR"),
    "kept": _("Kept from the previous proposal"),
    "shares_language": _("Shares a language: %(lang)s"),
    "takes_format": _("Takes the format: %(kind)s"),
    "outside_own_units": _("Not from the applicants' own units"),
    "covers_theme": _("Covers the theme ranked %(rank)s: %(theme)s"),
    "named": _("Named by the applicant (choice %(rank)s)"),
    "asked_internal": _("The applicant asked for an internal supervisor"),
    "asked_external": _("The applicant asked for an external supervisor"),
    "internal": _("Internal supervisor"),
    "external": _("External supervisor (cost points %(cost)s)"),
    "load": _("Place %(k)s of %(capacity)s"),
}

UNMATCHED_MESSAGES = {
    "no_supervisors": _("There are no active supervisors."),
    "no_shared_language": _("No supervisor speaks %(langs)s."),
    "no_format": _("No supervisor who shares a language takes the format: %(kind)s."),
    "own_unit_only": _(
        "Every supervisor who shares a language and takes the format %(kind)s is from the "
        "applicants' own units."
    ),
    "all_full": None,  # plural: see unmatched_text
    "forbidden_by_hr": None,
    "conflict_of_interest": None,
    "excluded": None,
}


BLOCKER_MESSAGES = {
    "no_shared_language": _("No shared language"),
    "format_not_taken": _("Does not take this format"),
    "own_unit": _("From the applicants' own unit"),
    "forbidden": _("Forbidden by HR"),
    "conflict_of_interest": _("Conflict of interest"),
}


class ReasonTexts:
    """Renders reasons for one request; theme names are read once per instance."""

    def __init__(self):
        self._themes = None

    def theme_name(self, key) -> str:
        if self._themes is None:
            # The active language's name, else the default language's (``ThemeCatalogue``).
            self._themes = {key: entry.name for key, entry in ThemeCatalogue().entries.items()}
        return self._themes.get(str(key), gettext("(removed theme)"))

    @staticmethod
    def language_name(code) -> str:
        try:
            return get_language_info(code)["name_translated"]
        except KeyError:
            return code

    @staticmethod
    def format_name(kind) -> str:
        return str(dict(ApplicationFormat.choices).get(kind, kind))

    def _params(self, params) -> dict:
        shown = dict(params)
        if "lang" in shown:
            shown["lang"] = self.language_name(shown["lang"])
        if "langs" in shown:
            shown["langs"] = ", ".join(self.language_name(code) for code in shown["langs"])
        if "kind" in shown:
            shown["kind"] = self.format_name(shown["kind"])
        if "theme" in shown:
            shown["theme"] = self.theme_name(shown["theme"])
        return shown

    def pair_text(self, reason) -> str:
        code, params = reason
        message = PAIR_MESSAGES.get(code)
        return str(message) % self._params(params) if message else code

    def blocker_text(self, reason) -> str:
        code, _params = reason
        message = BLOCKER_MESSAGES.get(code)
        return str(message) if message else code

    def unmatched_text(self, reason) -> str:
        code, params = reason
        shown = self._params(params)
        if code == "all_full":
            return (
                ngettext(
                    "The only suitable supervisor is full.",
                    "All %(count)s suitable supervisors are full.",
                    shown["count"],
                )
                % shown
            )
        if code == "forbidden_by_hr":
            return (
                ngettext(
                    "HR forbade the only suitable supervisor.",
                    "HR forbade all %(count)s suitable supervisors.",
                    shown["count"],
                )
                % shown
            )
        if code == "conflict_of_interest":
            return (
                ngettext(
                    "The only suitable supervisor has a conflict of interest.",
                    "All %(count)s suitable supervisors have a conflict of interest.",
                    shown["count"],
                )
                % shown
            )
        if code == "excluded":
            return (
                gettext(
                    "Every suitable supervisor is excluded: %(forbidden)s forbidden by HR, "
                    "%(conflicts)s with a conflict of interest."
                )
                % shown
            )
        message = UNMATCHED_MESSAGES.get(code)
        return str(message) % shown if message else code
