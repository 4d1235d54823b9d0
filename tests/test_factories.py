"""Every factory builds a saved object that passes its model's validation.

A factory that drifts from its model (a new required field, a renamed choice, a constraint it no
longer meets) fails here rather than somewhere in a test that happens to use it.
"""

import pytest
from django.db.models import Model

from tests import factories
from tests.utils import make_service_page
from tyonohjaus_plugin import models

pytestmark = pytest.mark.django_db

FACTORIES = [
    factories.UserFactory,
    factories.ProviderFactory,
    factories.ThemeFactory,
    factories.PrivacyNoticeFactory,
    factories.ApplicationRoundFactory,
    factories.ApplicationFactory,
    factories.ApplicationParticipantFactory,
    factories.ApplicationEventFactory,
    factories.ApplicationExportFactory,
    factories.PersonDataExportFactory,
    factories.EmployeeProfileFactory,
    factories.SupervisorFactory,
    factories.SupervisorCapacityFactory,
    factories.MatchRunFactory,
    factories.MatchProposalFactory,
    factories.MatchUnmatchedFactory,
    factories.MatchOverrideFactory,
    factories.EngagementFactory,
    factories.EngagementParticipantFactory,
    factories.MeetingFactory,
    factories.EvaluationAnswerFactory,
    factories.AnonymisationRunFactory,
    factories.ErasureTombstoneFactory,
    factories.DeliveryFactory,
    factories.FeedbackResponseFactory,
    factories.SupervisorAvailabilityFactory,
    factories.SupervisorBlockedPeriodFactory,
    factories.SlotProposalFactory,
    factories.SlotAnswerFactory,
    factories.FirstMeetingAnswerFactory,
    factories.AgreementTemplateFactory,
    factories.AgreementFactory,
    factories.AgreementAcknowledgementFactory,
    factories.ExcludedPairFactory,
    factories.PlaceOfferFactory,
]


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_factory_builds_a_valid_saved_object(factory, locales):
    obj = factory()
    assert obj.pk is not None
    assert type(obj).objects.filter(pk=obj.pk).exists()
    obj.full_clean()


def test_every_plugin_model_has_a_factory():
    built = {factory._meta.model for factory in FACTORIES}
    concrete = {
        model
        for name in models.__all__
        if isinstance(model := getattr(models, name), type)
        and issubclass(model, Model)
        and not model._meta.abstract
    }
    # Service pages are built by tests.utils.make_service_page (see the test below).
    assert concrete - built == {models.ServicePage}


def test_internal_supervisor_has_a_user_and_no_contact_of_its_own(locales):
    supervisor = factories.SupervisorFactory(internal=True)
    supervisor.full_clean()
    assert supervisor.kind == "internal" and supervisor.user_id
    assert supervisor.name == supervisor.email == ""


def test_a_second_build_gives_a_second_object(locales):
    """Sequences and sub-factories keep unique fields apart (rounds, users, meetings)."""
    for factory in (factories.MatchRunFactory, factories.MeetingFactory):
        first, second = factory(), factory()
        assert first.pk != second.pk
    engagement = factories.EngagementFactory()
    meetings = [factories.MeetingFactory(engagement=engagement) for _ in range(2)]
    assert [m.number for m in meetings] == [1, 2]


def test_service_page_helper_builds_a_live_valid_page(homes, providers):
    page = make_service_page(homes["fi"], provider=providers["fi"])
    page.full_clean()
    assert page.live and page.get_parent().pk == homes["fi"].pk
