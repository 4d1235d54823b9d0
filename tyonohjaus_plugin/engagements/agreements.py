"""The supervision agreement (työnohjaussopimus): generated when an engagement leaves "pending",
and read by each person in their own language.

Generation copies the texts of every language into ``Agreement.terms`` (the first
``AgreementTemplate`` of the language, else the built-in texts below), so an agreement already
acknowledged never changes when an editor edits the template later. The goals start as the
application's goals; the supervisor edits them in the first meeting (``actions.agreement``).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.coreutils import get_content_languages, get_supported_content_language_variant

from tyonohjaus_plugin.conf import plugin_settings
from tyonohjaus_plugin.core.people import person_name
from tyonohjaus_plugin.models import (
    ACTIVE_ENGAGEMENT_STATES,
    Agreement,
    AgreementTemplate,
    Application,
    ApplicationFormat,
    MeetingState,
)
from tyonohjaus_plugin.permissions import can_view_confidential

#: The template's texts, in the order an agreement shows them.
TERM_FIELDS = ("title", "introduction", "confidentiality", "evaluation", "cancellation")

#: The built-in texts: used in a language that has no template (our own words, after the
#: ethical principles of Finnish work supervision).
DEFAULT_TERMS = {
    "title": _("Supervision agreement"),
    "introduction": _(
        "Work supervision is a confidential, goal-oriented discussion about your work. This "
        "agreement records what we agreed at the start: the goals, the meetings and how we work "
        "together."
    ),
    "confidentiality": _(
        "What is said in the meetings stays between the people taking part and the supervisor. "
        "The supervisor tells the employer nothing of its content; HR learns only that the "
        "meetings were held. Confidentiality has limits: if someone's safety or health is at "
        "serious risk, or the law requires it, the supervisor may have to act, and tells the "
        "people concerned first whenever possible."
    ),
    "evaluation": _(
        "We review how the work is going during the meetings and evaluate it together at the "
        "last meeting against the goals below. Each participant also answers a short anonymous "
        "end evaluation; HR sees only summaries of at least five answers."
    ),
    "cancellation": _(
        "A meeting is cancelled or moved at least 24 hours before it starts, by telling the "
        "supervisor. A meeting cancelled later, or missed without notice, counts as held."
    ),
}


def default_terms() -> dict[str, str]:
    """The built-in texts in the active language."""
    return {name: str(text) for name, text in DEFAULT_TERMS.items()}


def default_language() -> str:
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def template_terms() -> dict[str, dict]:
    """Language code -> the agreement's texts in it, for every content language: the first
    template of that language (``source`` "template"), else the built-in texts ("default")."""
    first = {}
    for template in AgreementTemplate.objects.select_related("locale").order_by("pk"):
        first.setdefault(template.locale.language_code, template)
    terms = {}
    for code in get_content_languages():
        template = first.get(code)
        if template is not None:
            texts = {name: getattr(template, name) for name in TERM_FIELDS}
            terms[code] = {**texts, "source": "template"}
        else:
            with translation.override(code):
                terms[code] = {**default_terms(), "source": "default"}
    return terms


def ensure_agreements(engagements) -> None:
    """An agreement for each of these engagements that has none yet: the application's goals
    and the template's texts of every language (copied). Safe to call twice, or concurrently:
    the one-to-one key keeps one agreement per engagement.

    Only an individual application's goals are copied: the agreement is read by every
    participant, and the applicant's answers are confidential to the supervisor and HR, not to
    the colleagues of a group or team, whose goals the supervisor writes down together with them.
    """
    engagements = [engagement for engagement in engagements if engagement.pk]
    if not engagements:
        return
    goals = dict(
        Application.objects.filter(
            pk__in={engagement.application_id for engagement in engagements},
            format=ApplicationFormat.INDIVIDUAL,
        ).values_list("pk", "goals")
    )
    terms = template_terms()
    # By id: assigning the engagement would cache these rows (without ids under
    # ``ignore_conflicts``) as ``engagement.agreement`` on the caller's objects.
    Agreement.objects.bulk_create(
        [
            Agreement(
                engagement_id=engagement.pk,
                goals=goals.get(engagement.application_id, ""),
                terms=terms,
            )
            for engagement in engagements
        ],
        ignore_conflicts=True,
    )


def ensure_agreement(engagement) -> Agreement:
    """The engagement's agreement, generated now when it has none."""
    ensure_agreements([engagement])
    return Agreement.objects.get(engagement=engagement)


def terms_in(agreement, language: str) -> dict:
    """The agreement's texts in ``language``; else in the default language; else (an agreement
    generated without texts) the built-in texts in ``language``."""
    terms = agreement.terms or {}
    try:
        code = get_supported_content_language_variant(language)
    except LookupError:
        code = default_language()
    chosen = terms.get(code) or terms.get(default_language())
    if not chosen:
        with translation.override(code):
            chosen = default_terms()
    return {name: chosen.get(name, "") for name in TERM_FIELDS}


def is_engagement_supervisor(engagement, *, user=None, supervisor=None) -> bool:
    """The engagement's own supervisor: an internal one signed in (``user``), or an external
    one by the link (``supervisor``, no user)."""
    if user is not None:
        own = engagement.supervisor.user_id
        return bool(user.is_active and own and own == user.pk)
    return supervisor is not None and supervisor.pk == engagement.supervisor_id


def is_open(agreement) -> bool:
    """Whether the agreement can still be edited and acknowledged: its engagement is active."""
    return agreement.engagement.state in ACTIVE_ENGAGEMENT_STATES


def agreement_context(agreement, language: str, *, show_goals: bool = True) -> dict:
    """What a page shows of the agreement, for a reader of ``language``: the parties, the goals
    (``None`` when ``show_goals`` is false: HR without the confidential permission), the format
    and the meetings, the texts, the version and who acknowledged it."""
    engagement = agreement.engagement
    supervisor = engagement.supervisor
    participants = list(engagement.participants.select_related("user").order_by("pk"))
    acknowledgements = list(agreement.acknowledgements.all())
    current = {}
    earlier = {}
    for ack in acknowledgements:
        key = "s" if ack.by_supervisor else ack.participant_id
        if ack.version == agreement.version:
            current[key] = ack
        else:
            earlier[key] = max(earlier.get(key, 0), ack.version)
    people = [
        {
            "participant": participant,
            "name": person_name(participant.user),
            "is_supervisor": False,
            "acknowledged_at": getattr(current.get(participant.pk), "acknowledged_at", None),
            "earlier_version": earlier.get(participant.pk),
        }
        for participant in participants
    ]
    people.append(
        {
            "participant": None,
            "name": supervisor.display_name,
            "is_supervisor": True,
            "acknowledged_at": getattr(current.get("s"), "acknowledged_at", None),
            "earlier_version": earlier.get("s"),
        }
    )
    meetings = list(
        engagement.meetings.exclude(state=MeetingState.CANCELLED).order_by("starts_at", "pk")
    )
    with translation.override(language):
        format_label = str(engagement.application.get_format_display())
        kind_label = str(supervisor.get_kind_display())
    return {
        "agreement": agreement,
        "engagement": engagement,
        "version": agreement.version,
        "terms": terms_in(agreement, language),
        "supervisor_name": supervisor.display_name,
        "supervisor_kind": kind_label,
        "participant_names": [person["name"] for person in people if not person["is_supervisor"]],
        "goals": agreement.goals if show_goals else None,
        "format": format_label,
        "meeting_count": engagement.meeting_count,
        "meeting_minutes": engagement.meeting_minutes,
        "interval_weeks": max(1, round(plugin_settings.MEETING_INTERVAL_DAYS / 7)),
        "meetings": meetings,
        "people": people,
        "all_acknowledged": all(person["acknowledged_at"] for person in people),
        "is_open": is_open(agreement),
    }


def admin_panel_context(user, engagement, language: str, *, goals_form=None) -> dict:
    """The engagement page's agreement panel: the agreement (goals only to the engagement's
    supervisor and HR with the confidential permission), and what this user may do with it."""
    agreement = Agreement.objects.filter(engagement=engagement).first()
    if agreement is None:
        return {"agreement": None}
    agreement.engagement = engagement  # the caller's, with its application and supervisor
    own = is_engagement_supervisor(engagement, user=user)
    context = agreement_context(agreement, language, show_goals=own or can_view_confidential(user))
    supervisor_row = context["people"][-1]
    context.update(
        {
            "can_edit": own and context["is_open"],
            "can_acknowledge": own and context["is_open"] and not supervisor_row["acknowledged_at"],
            "goals_form": goals_form,
        }
    )
    return context
