"""Double submits and a concurrent edit of the agreement on PostgreSQL, with real threads and
transactions: one acknowledgement per person per version, and an acknowledgement never lands
on a version nobody read (the pattern of tests/test_concurrency.py)."""

import pytest

from tests.factories import (
    ApplicationFactory,
    EngagementFactory,
    EngagementParticipantFactory,
    SupervisorFactory,
    UserFactory,
)
from tests.test_concurrency import run_concurrently, unexpected
from tyonohjaus_plugin.actions.agreement import (
    AcknowledgeAgreementAction,
    AgreementRefused,
    EditAgreementGoalsAction,
)
from tyonohjaus_plugin.engagements.agreements import ensure_agreements
from tyonohjaus_plugin.models import Agreement, AgreementAcknowledgement, Engagement

pytestmark = [
    pytest.mark.workers,
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
]


@pytest.fixture
def engagement(locales):
    supervisor = SupervisorFactory(internal=True, user=UserFactory())
    engagement = EngagementFactory(
        application=ApplicationFactory(round=None, status="matched"), supervisor=supervisor
    )
    EngagementParticipantFactory(engagement=engagement)
    return engagement


def test_concurrent_generation_makes_one_agreement(engagement):
    outcomes = run_concurrently(
        lambda _n: ensure_agreements([Engagement.objects.get(pk=engagement.pk)]),
        range(8),
        workers=8,
    )
    assert unexpected(outcomes) == []
    assert Agreement.objects.filter(engagement=engagement).count() == 1


def test_a_double_submit_and_an_edit_at_once(engagement):
    ensure_agreements([engagement])
    participant = engagement.participants.get()
    supervisor_user = engagement.supervisor.user

    def work(kind):
        agreement = Agreement.objects.select_related("engagement__supervisor").get(
            engagement=engagement
        )
        if kind == "edit":
            return EditAgreementGoalsAction(
                agreement, user=supervisor_user, goals="Uudet tavoitteet.", version=1
            ).execute()
        return AcknowledgeAgreementAction(
            agreement, user=participant.user, participant=participant, version=1
        ).execute()

    outcomes = run_concurrently(work, ["ack"] * 6 + ["edit"] * 2, workers=8)
    assert unexpected(outcomes, AgreementRefused) == []
    agreement = Agreement.objects.get(engagement=engagement)
    assert agreement.version == 2  # one edit, the same text sent twice is no third version
    acknowledgements = list(AgreementAcknowledgement.objects.values_list("version", flat=True))
    # Either acknowledged version 1 before the edit (once), or refused as stale after it.
    assert acknowledgements in ([], [1])
    refused = [o for o in outcomes if isinstance(o.error, AgreementRefused)]
    assert (len(refused) == 6) is (acknowledgements == [])
