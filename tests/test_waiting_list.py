"""The waiting list: a freed place is offered to the best waiting application; HR confirms in
one click or dismisses; auto-confirm; stale offers; the applicant's position (issue 18 item 6).
"""

import datetime
import threading

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import (
    ApplicationFactory,
    ApplicationRoundFactory,
    SupervisorFactory,
    UserFactory,
)
from tests.test_supervisors import edit_url, form_data
from tyonohjaus_plugin.actions import place_offers
from tyonohjaus_plugin.actions.place_offers import OfferFreedPlacesAction, fill_freed_places
from tyonohjaus_plugin.applications.positions import ordinal, position_text, waiting_positions
from tyonohjaus_plugin.models import (
    Application,
    Delivery,
    DeliveryKind,
    Engagement,
    EngagementParticipant,
    ExcludedPair,
    Meeting,
    PlaceOffer,
    Theme,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def user_with(*codenames, **fields):
    user = UserFactory(**fields)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def waiting(days_ago, **fields):
    at = timezone.now() - days_ago * DAY
    fields.setdefault("round", None)
    return ApplicationFactory(submitted_at=at, status_changed_at=at, **fields)


def matched(supervisor, **fields):
    """An off-round application with an active engagement of ``supervisor`` (two meetings)."""
    application = waiting(30, status="matched", **fields)
    engagement = Engagement.objects.create(
        application=application, supervisor=supervisor, state="planned", confirmed_at=timezone.now()
    )
    EngagementParticipant.objects.create(engagement=engagement, user=application.applicant)
    for number in (1, 2):
        starts = timezone.now() + number * 21 * DAY
        Meeting.objects.create(
            engagement=engagement,
            number=number,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(minutes=90),
        )
    return engagement


@pytest.fixture
def world(locales):
    theme = Theme.objects.create(name="Muutos", locale=locales["fi"], sort_order=1)
    supervisor = SupervisorFactory(name="Sanna", default_capacity=1, languages=["fi", "sv"])
    supervisor.themes.set([theme])
    engagement = matched(supervisor)
    longest = waiting(20, languages=["sv"])  # waited longest, no shared theme
    best = waiting(10)  # shares the supervisor's theme: the best pair
    best.themes.set([theme])
    excluded = waiting(25)  # would be as good, but the pair is excluded
    excluded.themes.set([theme])
    ExcludedPair.objects.create(application=excluded, supervisor=supervisor, reason="not_a_fit")
    english = waiting(30, languages=["en"])  # no shared language
    # Still in its open round: matched with the round, not from the waiting list.
    in_round = waiting(40, round=ApplicationRoundFactory(state="open"))
    hr = user_with("access_admin", "run_matching", "view_application", email="hr@example.org")
    return {
        "supervisor": supervisor,
        "engagement": engagement,
        "longest": longest,
        "best": best,
        "excluded": excluded,
        "english": english,
        "in_round": in_round,
        "hr": hr,
    }


def test_a_withdrawal_offers_the_freed_place_to_the_best_waiting_application(
    client, world, django_capture_on_commit_callbacks
):
    engagement = world["engagement"]
    client.force_login(engagement.application.applicant)
    url = reverse("tyonohjaus_plugin:withdraw_application", args=[engagement.application_id])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 303
    engagement.refresh_from_db()
    assert (engagement.state, engagement.end_reason) == ("cancelled", "withdrawn")
    assert set(engagement.meetings.values_list("state", flat=True)) == {"cancelled"}
    assert Delivery.objects.filter(kind=DeliveryKind.INVITATION, slot="seq1").count() == 2 * 2
    offer = PlaceOffer.objects.get()
    assert (offer.application, offer.supervisor, offer.freed_by, offer.state) == (
        world["best"],
        world["supervisor"],
        "withdrawal",
        "open",
    )
    assert Delivery.objects.filter(
        kind=DeliveryKind.PLACE_OFFER, target_id=offer.pk, recipient=f"u{world['hr'].pk}"
    ).exists()
    # Run again (a replayed task): the place is offered already.
    assert fill_freed_places(world["supervisor"].pk, "withdrawal") == []
    assert PlaceOffer.objects.count() == 1


def test_the_sweep_offers_a_place_whose_task_was_lost(world):
    """The broker was down when the engagement ended: the schedule's sweep offers the place."""
    from tyonohjaus_plugin.tasks import fill_freed_places_sweep_task

    Engagement.objects.filter(pk=world["engagement"].pk).update(
        state="cancelled", end_reason="withdrawn", ended_at=timezone.now()
    )
    assert fill_freed_places_sweep_task() == 1
    offer = PlaceOffer.objects.get()
    assert (offer.application, offer.freed_by) == (world["best"], "withdrawal")
    assert fill_freed_places_sweep_task() == 0  # run again: nothing more


def test_hr_confirms_an_offer_in_one_click(client, world, django_capture_on_commit_callbacks):
    Engagement.objects.filter(pk=world["engagement"].pk).update(state="cancelled", end_reason="hr")
    (offer_id,) = fill_freed_places(world["supervisor"].pk, "cancelled")
    client.force_login(world["hr"])
    page = client.get(reverse("tyonohjaus_matching:index"))
    assert [o.pk for o in page.context["place_offers"]] == [offer_id]
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("tyonohjaus_matching:offer", args=[offer_id, "confirm"]) in dashboard
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("tyonohjaus_matching:offer", args=[offer_id, "confirm"]))
    assert response.status_code == 302
    offer = PlaceOffer.objects.get(pk=offer_id)
    assert (offer.state, offer.decided_by) == ("confirmed", world["hr"])
    best = Application.objects.get(pk=world["best"].pk)
    assert best.status == "matched"
    assert best.engagements.get().supervisor == world["supervisor"]
    # A second click: a clear refusal, nothing more confirmed.
    again = client.post(reverse("tyonohjaus_matching:offer", args=[offer_id, "confirm"]))
    assert again.status_code == 409
    assert Engagement.objects.filter(application=best).count() == 1


def test_dismissing_offers_the_place_to_the_next_best(
    client, world, django_capture_on_commit_callbacks
):
    Engagement.objects.filter(pk=world["engagement"].pk).update(state="cancelled", end_reason="hr")
    (offer_id,) = fill_freed_places(world["supervisor"].pk, "cancelled")
    client.force_login(world["hr"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("tyonohjaus_matching:offer", args=[offer_id, "dismiss"]))
    assert PlaceOffer.objects.get(pk=offer_id).state == "dismissed"
    assert PlaceOffer.objects.get(state="open").application == world["longest"]


def test_an_offer_whose_application_stopped_waiting_goes_stale(client, world):
    Engagement.objects.filter(pk=world["engagement"].pk).update(state="cancelled", end_reason="hr")
    (offer_id,) = fill_freed_places(world["supervisor"].pk, "cancelled")
    Application.objects.filter(pk=world["best"].pk).update(status="withdrawn")
    client.force_login(world["hr"])
    response = client.post(reverse("tyonohjaus_matching:offer", args=[offer_id, "confirm"]))
    assert response.status_code == 302
    assert PlaceOffer.objects.get(pk=offer_id).state == "stale"
    assert not Engagement.objects.filter(application=world["best"]).exists()


def test_others_may_not_decide_offers(client, world):
    Engagement.objects.filter(pk=world["engagement"].pk).update(state="cancelled", end_reason="hr")
    (offer_id,) = fill_freed_places(world["supervisor"].pk, "cancelled")
    client.force_login(user_with("access_admin", "view_application"))
    response = client.post(reverse("tyonohjaus_matching:offer", args=[offer_id, "confirm"]))
    assert response.status_code == 403
    assert PlaceOffer.objects.get(pk=offer_id).state == "open"


def test_auto_confirm_confirms_at_once(settings, world, django_capture_on_commit_callbacks):
    settings.TYONOHJAUS_PLUGIN = {**settings.TYONOHJAUS_PLUGIN, "WAITING_LIST_AUTO_CONFIRM": True}
    Engagement.objects.filter(pk=world["engagement"].pk).update(state="cancelled", end_reason="hr")
    with django_capture_on_commit_callbacks(execute=True):
        (offer_id,) = fill_freed_places(world["supervisor"].pk, "cancelled")
    assert PlaceOffer.objects.get(pk=offer_id).state == "confirmed"
    assert Application.objects.get(pk=world["best"].pk).status == "matched"


def test_hr_withdrawing_a_matched_application_frees_the_place(
    client, world, django_capture_on_commit_callbacks
):
    hr = world["hr"]
    hr.user_permissions.add(Permission.objects.get(codename="change_application_status"))
    client.force_login(hr)
    application = world["engagement"].application
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("tyonohjaus_applications:status", args=[application.pk]),
            {"status": "withdrawn", "expected_status": "matched"},
        )
    assert Engagement.objects.get(pk=world["engagement"].pk).end_reason == "withdrawn"
    assert PlaceOffer.objects.get().application == world["best"]


def test_hr_moving_a_matched_application_to_waitlisted_ends_its_engagement(
    client, world, django_capture_on_commit_callbacks
):
    hr = world["hr"]
    hr.user_permissions.add(Permission.objects.get(codename="change_application_status"))
    client.force_login(hr)
    engagement = world["engagement"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("tyonohjaus_applications:status", args=[engagement.application_id]),
            {"status": "waitlisted", "expected_status": "matched"},
        )
    assert response.status_code == 302
    engagement.refresh_from_db()
    assert (engagement.state, engagement.end_reason) == ("cancelled", "hr")
    assert not engagement.meetings.filter(state="planned").exists()
    assert PlaceOffer.objects.filter(supervisor=engagement.supervisor).exists()


def test_raising_the_capacity_offers_the_new_place(
    client, world, django_capture_on_commit_callbacks
):
    supervisor = world["supervisor"]
    client.force_login(
        user_with("access_admin", "view_supervisor", "change_supervisor", "add_supervisor")
    )
    data = form_data(
        name=supervisor.name,
        email=supervisor.email,
        languages=["fi", "sv"],
        default_capacity="2",
        themes=[str(pk) for pk in supervisor.themes.values_list("pk", flat=True)],
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(supervisor), data)
    assert response.status_code == 302, response.context["form"].errors
    offer = PlaceOffer.objects.get()
    assert (offer.application, offer.freed_by) == (world["best"], "capacity")


def test_the_applicant_sees_their_place_without_learning_about_others(client, world):
    first_sv = world["longest"]  # waiting 20 days, Swedish
    second_sv = waiting(5, languages=["sv"])
    client.force_login(second_sv.applicant)
    html = client.get(reverse("tyonohjaus_plugin:my_applications")).content.decode()
    with translation.override("fi"):
        expected = position_text(second_sv, 2)
    assert expected in html
    assert waiting_positions([first_sv, second_sv]) == {first_sv.pk: 1, second_sv.pk: 2}
    # A matched application has no place in the queue.
    assert waiting_positions([world["engagement"].application]) == {}


@pytest.mark.parametrize(
    ("language", "number", "expected"),
    [
        ("en", 1, "Waiting for a supervisor who speaks Swedish: you are 1st in line."),
        ("en", 3, "Waiting for a supervisor who speaks Swedish: you are 3rd in line."),
        ("en", 12, "Waiting for a supervisor who speaks Swedish: you are 12th in line."),
        ("en", 22, "Waiting for a supervisor who speaks Swedish: you are 22nd in line."),
    ],
)
def test_position_text_in_english(language, number, expected):
    application = Application(languages=["sv"])
    with translation.override(language):
        assert position_text(application, number) == expected


def test_position_text_names_every_language_and_ordinals_follow_the_language():
    application = Application(languages=["fi", "sv"])
    with translation.override("en"):
        text = position_text(application, 2)
    assert text == "Waiting for a supervisor who speaks Finnish or Swedish: you are 2nd in line."
    with translation.override("en"):
        assert [ordinal(n) for n in (1, 2, 3, 4, 11, 13, 21, 101, 111)] == [
            "1st",
            "2nd",
            "3rd",
            "4th",
            "11th",
            "13th",
            "21st",
            "101st",
            "111th",
        ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_two_places_freed_at_once_never_go_to_one_application(monkeypatch, locales):
    """Two supervisors' places are offered in two real transactions at once; both rank the same
    application first. The partial unique constraint lets one offer it; the other moves on."""
    first = SupervisorFactory(name="Eka", default_capacity=1)
    second = SupervisorFactory(name="Toka", default_capacity=1)
    best = waiting(10)
    other = waiting(5)
    barrier = threading.Barrier(2, timeout=30)
    original = place_offers.ranked

    def ranked_then_wait(supervisor, applications):
        result = original(supervisor, applications)
        barrier.wait()  # both chose before either inserted
        return result

    monkeypatch.setattr(place_offers, "ranked", ranked_then_wait)
    outcomes, errors = {}, []

    def work(supervisor):
        try:
            outcomes[supervisor.pk] = OfferFreedPlacesAction(supervisor.pk).execute()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(s,)) for s in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    offers = PlaceOffer.objects.filter(state="open")
    assert sorted(offers.values_list("application_id", flat=True)) == sorted([best.pk, other.pk])
    assert offers.values("supervisor").distinct().count() == 2
