"""The supervision agreement's section for a participant's page
(``tyonohjaus_plugin/supervision/includes/agreement.html``)."""

from django import template
from django.utils.translation import get_language

from tyonohjaus_plugin.engagements.agreements import agreement_context
from tyonohjaus_plugin.models import Agreement

register = template.Library()


@register.simple_tag
def tyonohjaus_participant_agreement(engagement, participant):
    """What the participant's section shows: the agreement in the reader's language with
    everyone's acknowledgements, and whether this participant has acknowledged the current
    version; ``None`` before the agreement exists (the supervisor has not declared yet)."""
    agreement = Agreement.objects.filter(engagement_id=engagement.pk).first()
    if agreement is None or participant.engagement_id != engagement.pk:
        return None
    agreement.engagement = engagement
    context = agreement_context(agreement, get_language())
    mine = next(
        (
            p
            for p in context["people"]
            if p["participant"] and p["participant"].pk == participant.pk
        ),
        None,
    )
    context["acknowledged_at"] = mine["acknowledged_at"] if mine else None
    context["can_acknowledge"] = (
        context["is_open"] and mine is not None and not mine["acknowledged_at"]
    )
    return context
