"""A participant reads and acknowledges the supervision agreement in a real browser, with axe
(issue 18 item 2); the printable page too. Screenshots in fi, sv and en."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LANGUAGES, save_screenshot
from tests.browser.test_employee_pages import login
from tests.factories import (
    ApplicationFactory,
    EngagementFactory,
    EngagementParticipantFactory,
    MeetingFactory,
    SupervisorFactory,
    UserFactory,
)
from tyonohjaus_plugin.engagements.agreements import ensure_agreement
from tyonohjaus_plugin.models import AgreementAcknowledgement

pytestmark = pytest.mark.browser


@pytest.fixture
def engagement(live_service_pages):
    applicant = UserFactory(first_name="Emma", last_name="Virtanen")
    application = ApplicationFactory(
        applicant=applicant, goals="Oma tapa johtaa ja jaksaminen.", status="matched"
    )
    supervisor = SupervisorFactory(
        internal=True, user=UserFactory(first_name="Tuula", last_name="Ohjaaja")
    )
    engagement = EngagementFactory(application=application, supervisor=supervisor)
    EngagementParticipantFactory(engagement=engagement)
    MeetingFactory(engagement=engagement)
    ensure_agreement(engagement)
    return engagement


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_participant_acknowledges_the_agreement(
    new_browser_page, live_server, axe, engagement, language
):
    applicant = engagement.application.applicant
    page = login(new_browser_page, live_server, applicant)
    page.goto(f"{live_server.url}/{language}/hr/agreements/{engagement.pk}/")
    axe.assert_accessible(page, f"agreement ({language})")
    save_screenshot(page, f"agreement-participant-{language}.png")
    # By its form, not its words: the catalogues get this branch's strings after the merge.
    button = page.locator(".tyonohjaus-agreement__form button")
    expect(button).to_have_count(1)
    button.click()
    expect(page.locator("[role=status]").first).to_be_visible()
    expect(button).to_have_count(0)
    axe.assert_accessible(page, f"agreement acknowledged ({language})")
    save_screenshot(page, f"agreement-participant-acknowledged-{language}.png")
    assert AgreementAcknowledgement.objects.filter(participant__user=applicant, version=1).exists()

    page.goto(f"{live_server.url}/{language}/hr/agreements/{engagement.pk}/print/")
    assert page.evaluate(
        """() => [...document.styleSheets].some(
            (sheet) => (sheet.href || "").includes("agreement_print.css")
                && sheet.cssRules.length > 0)"""
    )
    axe.assert_none(axe.run(page)["violations"], f"printable agreement ({language})")
    save_screenshot(page, f"agreement-print-{language}.png")
