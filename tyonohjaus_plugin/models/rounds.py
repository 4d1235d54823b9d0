from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class RoundState(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    MATCHED = "matched", _("Matched")
    ARCHIVED = "archived", _("Archived")


#: States in which a round takes applications, provided the transaction started in its window.
ACCEPTING_STATES = (RoundState.OPEN, RoundState.CLOSED)


def localized_round_name(name, translations, language=None) -> str:
    """A round's name in ``language`` (the active one by default), else its default-language
    ``name``. ``translations`` maps other languages' codes to names."""
    language = (language or translation.get_language() or settings.LANGUAGE_CODE).lower()
    translations = translations or {}
    # "en-gb" reads the "en" name when there is no "en-gb" one.
    return translations.get(language) or translations.get(language.split("-")[0]) or name


def translated_languages():
    """``(code, name)`` of the languages a round's name can be translated into: every language
    of the site except the default one (``name`` holds that)."""
    default = settings.LANGUAGE_CODE.lower().split("-")[0]
    return [(code, name) for code, name in settings.LANGUAGES if code.split("-")[0] != default]


def validate_name_translations(value):
    if not isinstance(value, dict):
        raise ValidationError(_("Enter the names as language code and name pairs."))
    known = {code for code, _name in translated_languages()}
    for code, name in value.items():
        if code not in known:
            raise ValidationError(
                _("%(code)s is not one of the site's other languages."), params={"code": code}
            )
        if not isinstance(name, str) or len(name) > 100:
            raise ValidationError(_("A name is text of at most 100 characters."))


class ApplicationRoundQuerySet(models.QuerySet):
    def for_service(self, service_key):
        return self.filter(service_key=service_key)

    def open(self):
        return self.filter(state=RoundState.OPEN)


class ApplicationRound(models.Model):
    """An application round of a service (all language versions of the service page share it).

    Whether an application is on time is decided by the database clock at the start of its
    transaction, compared with ``closes_at`` under a row lock (see ``actions/submit_application``
    and RELIABILITY.md §2.2); ``state`` is HR's workflow around it.
    """

    service_key = models.UUIDField(
        _("service"),
        db_index=True,
        help_text=_("Translation key of the service page: the round belongs to every language."),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("In the site's default language.")
    )
    name_translations = models.JSONField(
        _("name in other languages"),
        default=dict,
        blank=True,
        validators=[validate_name_translations],
        help_text=_("Language code → name; a language without one shows the default name."),
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    programme_starts_on = models.DateField(_("programme starts on"), null=True, blank=True)
    programme_ends_on = models.DateField(_("programme ends on"), null=True, blank=True)
    target_places = models.PositiveIntegerField(_("target number of places"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=RoundState.choices, default=RoundState.UPCOMING
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ApplicationRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("application round")
        verbose_name_plural = _("application rounds")
        ordering = ["-opens_at"]
        permissions = [("manage_rounds", _("Can open and close application rounds"))]
        constraints = [
            models.UniqueConstraint(
                fields=["service_key"],
                condition=models.Q(state=RoundState.OPEN),
                name="tyonohjaus_one_open_round_per_service",
                violation_error_message=_("This service already has an open round."),
            ),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="tyonohjaus_round_closes_after_opening",
                violation_error_message=_("A round must close after it opens."),
            ),
        ]

    def __str__(self):
        # Language-free: audit-log labels use it. Screens show ``localized_name``.
        return self.name

    @property
    def localized_name(self) -> str:
        """The name in the active language, falling back to the default language's."""
        return localized_round_name(self.name, self.name_translations)

    def accepts_at(self, moment) -> bool:
        """Whether an application whose transaction started at ``moment`` is on time."""
        return self.state in ACCEPTING_STATES and self.opens_at <= moment < self.closes_at
