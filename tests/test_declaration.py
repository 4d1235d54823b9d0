"""The supervisor's declaration of conflicts of interest (issue 18 item 5), through HTTP: a
confirm starts "pending" with one request to the supervisor; "no earlier relationship" goes on to
the meetings; a declared conflict ends the engagement, excludes the pair from every matching
problem and puts the application back on the board, with nothing for HR but "declared conflict".
"""

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from tests.factories import ApplicationFactory, ApplicationRoundFactory, SupervisorFactory
from tests.test_engagement_admin import user_with
from tests.test_matching_board import pairs, run_now
from tests.utils import admin_in
from tyonohjaus_plugin.matching.problem import (
    application_key,
    build_application_problem,
    build_problem,
    build_single_problem,
    supervisor_key,
)
from tyonohjaus_plugin.models import (
    Delivery,
    Engagement,
    ExcludedPair,
    MatchOverride,
    Meeting,
)
from tyonohjaus_plugin.outbox import delivery as outbox

pytestmark = pytest.mark.django_db


def make_supervisor(**user_fields):
    """An internal supervisor taking Finnish individual supervision, who can sign in to the
    admin."""
    return SupervisorFactory(internal=True, user=user_with("access_admin", **user_fields))


@pytest.fixture
def hr(client):
    client.get("/admin/")  # the admin's URLs and viewsets
    return user_with(
        "access_admin",
        "run_matching",
        "view_application",
        "view_confidential_application",
        "view_engagement",
        "change_engagement",
    )


def confirm_off_round(client, hr, supervisor, application=None):
    """HR confirms ``supervisor`` for an application from between rounds, through the board."""
    application = application or ApplicationFactory(round=None, status="in_review")
    client.force_login(hr)
    url = reverse("tyonohjaus_matching:off_round", args=[application.pk])
    response = client.post(url, {"supervisor": supervisor.pk})
    assert response.status_code == 302, response.content[:500]
    return Engagement.objects.get(application=application, supervisor=supervisor)


def test_a_confirm_waits_for_the_declaration_and_asks_the_supervisor_once(client, hr):
    supervisor = make_supervisor()
    engagement = confirm_off_round(client, hr, supervisor)
    admin_in(hr, "en")
    assert engagement.state == "pending"
    assert not Meeting.objects.filter(engagement=engagement).exists()
    requests = Delivery.objects.filter(kind="declaration_request", target_id=engagement.pk)
    assert list(requests.values_list("recipient", flat=True)) == [f"u{supervisor.user_id}"]
    # HR sees why nothing happens yet, in the listing and on the page.
    with translation.override("en"):
        listing = client.get(reverse("tyonohjaus_engagements:index"))
        assert "Awaiting the supervisor" in listing.content.decode()
        detail = client.get(reverse("tyonohjaus_engagements:detail", args=[engagement.pk]))
        assert "Awaiting the supervisor" in detail.content.decode()
        # ... but not the buttons: only the supervisor declares.
        assert reverse("tyonohjaus_engagements:declare", args=[engagement.pk]) not in (
            detail.content.decode()
        )
        refused = client.post(
            reverse("tyonohjaus_engagements:declare", args=[engagement.pk]), {"conflict": "no"}
        )
    assert refused.status_code == 403


def test_the_declaration_request_links_an_internal_supervisor_to_the_admin(client, hr, mailoutbox):
    supervisor = make_supervisor(email="sisainen@example.org")
    engagement = confirm_off_round(client, hr, supervisor)
    outbox.process()
    (message,) = [m for m in mailoutbox if m.to[0].endswith("sisainen@example.org>")]
    admin_url = reverse("tyonohjaus_engagements:detail", args=[engagement.pk])
    assert admin_url in message.body
    assert "/supervisor/enter/" not in message.body


def test_an_internal_supervisor_declares_no_relationship_and_the_meetings_follow(client, hr):
    supervisor = make_supervisor()
    engagement = confirm_off_round(client, hr, supervisor)
    client.force_login(admin_in(supervisor.user, "en"))
    page = client.get(reverse("tyonohjaus_engagements:detail", args=[engagement.pk]))
    html = page.content.decode()
    assert "No earlier relationship with these people" in html
    assert "I have a conflict of interest" in html
    assert "close colleague" in html  # what counts is said, no details are asked
    response = client.post(
        reverse("tyonohjaus_engagements:declare", args=[engagement.pk]), {"conflict": "no"}
    )
    assert response.status_code == 302
    engagement.refresh_from_db()
    assert engagement.declared_at is not None
    # start_scheduling ran: first times proposed to choose from, no meetings before that.
    assert engagement.state == "scheduling"
    assert engagement.slot_proposals.exists()
    assert not Meeting.objects.filter(engagement=engagement).exists()
    entry = ModelLogEntry.objects.get(action="tyonohjaus_plugin.engagement.declared")
    assert entry.data == {"state": engagement.state}
    # A second declaration (another tab) is refused, not applied twice.
    again = client.post(
        reverse("tyonohjaus_engagements:declare", args=[engagement.pk]), {"conflict": "yes"}
    )
    assert again.status_code == 409
    engagement.refresh_from_db()
    assert engagement.state != "cancelled"


def test_a_declared_conflict_sends_the_application_back_with_the_pair_excluded(client, hr):
    supervisor = make_supervisor()
    other = SupervisorFactory()  # a free place elsewhere for the re-match
    application = ApplicationFactory(round=None, status="in_review")
    engagement = confirm_off_round(client, hr, supervisor, application)
    _problem, loads = build_single_problem(application)
    assert loads[supervisor_key(supervisor.pk)] == 1  # the pending engagement takes a place

    client.force_login(supervisor.user)
    response = client.post(
        reverse("tyonohjaus_engagements:declare", args=[engagement.pk]), {"conflict": "yes"}
    )
    assert response.status_code == 302
    engagement.refresh_from_db()
    application.refresh_from_db()
    assert (engagement.state, engagement.end_reason) == ("cancelled", "conflict")
    assert application.status == "in_review"
    assert ExcludedPair.objects.filter(
        application=application, supervisor=supervisor, reason="conflict"
    ).exists()
    # Audit log: codes and ids only.
    entry = ModelLogEntry.objects.get(action="tyonohjaus_plugin.engagement.conflict_declared")
    assert entry.data == {"state": "cancelled"}

    # The engagement no longer counts in the supervisor's capacity; the pair is forbidden.
    problem, loads = build_single_problem(application)
    assert loads[supervisor_key(supervisor.pk)] == 0
    pair = (application_key(application.pk), supervisor_key(supervisor.pk))
    assert pair in problem.conflicts

    # HR: "declared conflict" on the engagement and the application, and the board again.
    client.force_login(admin_in(hr, "en"))
    with translation.override("en"):
        listing = client.get(reverse("tyonohjaus_engagements:index")).content.decode()
        assert "Declared conflict of interest" in listing
        detail = client.get(reverse("tyonohjaus_applications:inspect", args=[application.pk]))
        assert "Declared conflict of interest" in detail.content.decode()
        board = client.get(reverse("tyonohjaus_matching:off_round", args=[application.pk]))
    assert board.status_code == 200
    candidates = [s.pk for s, _reasons in board.context["candidates"]]
    assert other.pk in candidates
    assert supervisor.pk not in candidates
    # Confirming the excluded supervisor anyway is refused.
    refused = client.post(
        reverse("tyonohjaus_matching:off_round", args=[application.pk]),
        {"supervisor": supervisor.pk},
    )
    assert refused.status_code == 409
    assert Engagement.objects.filter(application=application).count() == 1


def test_every_problem_builder_forbids_an_excluded_pair(client, hr):
    round = ApplicationRoundFactory(state="closed")
    supervisor = SupervisorFactory()
    excluded = ApplicationFactory(round=round, status="in_review")
    ExcludedPair.objects.create(application=excluded, supervisor=supervisor, reason="not_a_fit")
    pair = (application_key(excluded.pk), supervisor_key(supervisor.pk))
    assert pair in build_problem(round).conflicts
    assert pair in build_application_problem(excluded, round).conflicts
    # The round board never proposes it, though the supervisor has room and fits otherwise.
    alone = ApplicationFactory(round=round, status="in_review")
    assert pairs(run_now(round, hr)) == {(alone.pk, supervisor.pk)}
    # Nor may HR pin it.
    client.force_login(hr)
    response = client.post(
        reverse("tyonohjaus_matching:override", args=[round.pk]),
        {"pair": f"pin:{excluded.pk}:{supervisor.pk}"},
    )
    assert response.status_code == 409
    assert not MatchOverride.objects.filter(application=excluded).exists()


def test_the_setting_off_confirms_straight_to_the_meetings(client, hr, direct_planning):
    engagement = confirm_off_round(client, hr, make_supervisor())
    assert engagement.state == "planned"
    assert not Delivery.objects.filter(kind="declaration_request").exists()
    assert Meeting.objects.filter(engagement=engagement).exists()
