"""The external supervisor's portal sections (``supervisors.portal.ENGAGEMENT_SECTIONS``): the
agreement of their engagement. A tag because the portal reaches the engagements' services only
through actions, models and templates (the "supervisors apart" import contract)."""

from django import template
from django.utils.translation import get_language

from tyonohjaus_plugin.engagements.agreements import agreement_context, ensure_agreement
from tyonohjaus_plugin.models import ACTIVE_ENGAGEMENT_STATES, Agreement, EngagementState

register = template.Library()


@register.simple_tag
def tyonohjaus_portal_agreement(engagement, supervisor):
    """The agreement in the reader's language with the goals (it is the supervisor's own
    engagement), who acknowledged the current version and what the supervisor may do; ``None``
    while the engagement awaits the declaration (or ended before it had an agreement)."""
    if supervisor is None or supervisor.pk != engagement.supervisor_id:
        return None
    if engagement.state in ACTIVE_ENGAGEMENT_STATES and engagement.state != EngagementState.PENDING:
        agreement = ensure_agreement(engagement)  # an engagement from before agreements existed
    else:
        agreement = Agreement.objects.filter(engagement_id=engagement.pk).first()
        if agreement is None:
            return None
    agreement.engagement = engagement
    context = agreement_context(agreement, get_language(), show_goals=True)
    own = context["people"][-1]  # the supervisor's row
    context["acknowledged_at"] = own["acknowledged_at"]
    context["can_edit"] = context["is_open"]
    context["can_acknowledge"] = context["is_open"] and not own["acknowledged_at"]
    return context
