"""The engagement and outbox screens as Wagtail viewsets: who sees what, the listing's filters,
pagination and query count, and the views the product does not have."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from wagtail.permissions import policy_registry

from tests.factories import ApplicationFactory, ApplicationRoundFactory, UserFactory
from tests.test_admin_menu import submenu_labels
from tests.utils import final_status
from tyonohjaus_plugin.engagements.views import EngagementIndexView
from tyonohjaus_plugin.models import (
    Delivery,
    Engagement,
    EngagementParticipant,
    Meeting,
    Supervisor,
)

pytestmark = pytest.mark.django_db


def user_with(*codenames, **fields):
    user = UserFactory(**fields)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def make_supervisor(**fields):
    user = user_with("access_admin", **fields)
    return Supervisor.objects.create(kind="internal", user=user, languages=["fi"])


def make_engagements(supervisor, count, *, round=None, state="planned", meetings=2):
    """``count`` engagements of ``supervisor``, each with its applicant and planned meetings."""
    round = round or ApplicationRoundFactory(state="closed")
    made = []
    start = timezone.now() + datetime.timedelta(days=7)
    for _n in range(count):
        application = ApplicationFactory(round=round)
        engagement = Engagement.objects.create(
            application=application,
            supervisor=supervisor,
            round=round,
            state=state,
            confirmed_at=timezone.now(),
        )
        EngagementParticipant.objects.create(engagement=engagement, user=application.applicant)
        for number in range(1, meetings + 1):
            starts = start + datetime.timedelta(days=21 * number)
            Meeting.objects.create(
                engagement=engagement,
                number=number,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=1),
            )
        made.append(engagement)
    return made


@pytest.fixture
def admin_urls(client):
    """Load the admin URLs and viewsets (the first admin request does it)."""
    client.get("/admin/")


def listed_ids(response):
    return [engagement.pk for engagement in response.context["object_list"]]


def test_a_supervisor_lists_and_opens_only_their_own_engagements(client, admin_urls):
    a, b = make_supervisor(), make_supervisor()
    (own,) = make_engagements(a, 1)
    (other,) = make_engagements(b, 1)
    client.force_login(a.user)
    response = client.get(reverse("tyonohjaus_engagements:index"))
    assert response.status_code == 200
    assert listed_ids(response) == [own.pk]
    results = client.get(reverse("tyonohjaus_engagements:index_results"))
    assert [e.pk for e in results.context["object_list"]] == [own.pk]
    assert client.get(reverse("tyonohjaus_engagements:detail", args=[own.pk])).status_code == 200
    detail = client.get(reverse("tyonohjaus_engagements:detail", args=[other.pk]))
    assert final_status(client, detail) == 404
    # Nor can they act on the other's meetings or engagement.
    meeting = other.meetings.first()
    for url in (
        reverse("tyonohjaus_engagements:meeting", args=[meeting.pk, "cancel"]),
        reverse("tyonohjaus_engagements:cancel", args=[other.pk]),
    ):
        assert final_status(client, client.post(url)) == 404
    meeting.refresh_from_db()
    assert meeting.state == "planned"


def test_hr_with_the_permission_lists_every_engagement(client, admin_urls):
    a, b = make_supervisor(), make_supervisor()
    made = make_engagements(a, 2) + make_engagements(b, 1)
    client.force_login(user_with("access_admin", "view_engagement"))
    response = client.get(reverse("tyonohjaus_engagements:index"))
    assert sorted(listed_ids(response)) == sorted(e.pk for e in made)


def test_users_without_the_permission_get_no_menu_item_and_a_403(client, admin_urls):
    supervisor = make_supervisor()
    hr = user_with("access_admin", "view_engagement", "view_delivery")
    editor = user_with("access_admin")
    with translation.override("en"):
        assert submenu_labels(supervisor.user) == ["Engagements"]
        assert submenu_labels(hr) == ["Engagements", "Outbox"]
        assert submenu_labels(editor) == []
    client.force_login(editor)
    for name in ("tyonohjaus_engagements:index", "tyonohjaus_outbox:index"):
        response = client.get(reverse(name))
        assert response.status_code == 403, name
        assert "tyonohjaus_plugin/admin/permission_denied.html" in [
            t.name for t in response.templates
        ]
    # Without admin access at all: Wagtail's login page.
    client.force_login(UserFactory())
    response = client.get(reverse("tyonohjaus_engagements:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_no_add_edit_copy_or_delete_views_not_even_for_a_superuser(client, admin_urls):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    (engagement,) = make_engagements(make_supervisor(), 1)
    for model in (Engagement, Delivery):
        policy = policy_registry.get_by_type(model)
        for action in ("add", "copy", "delete"):
            assert not policy.user_has_permission(superuser, action), (model, action)
    for namespace in ("tyonohjaus_engagements", "tyonohjaus_outbox"):
        for name in ("add", "edit", "copy", "delete", "history", "inspect"):
            with pytest.raises(NoReverseMatch):
                reverse(f"{namespace}:{name}", args=[] if name == "add" else [1])
    client.force_login(superuser)
    page = client.get(reverse("tyonohjaus_engagements:index")).content.decode()
    assert reverse("tyonohjaus_engagements:detail", args=[engagement.pk]) in page
    assert "/edit/" not in page and "/delete/" not in page and "/new/" not in page


def test_the_state_filter_and_pagination_go_through_wagtails_listing(
    client, admin_urls, monkeypatch
):
    supervisor = make_supervisor()
    planned = make_engagements(supervisor, 5)
    cancelled = make_engagements(supervisor, 1, state="cancelled")
    client.force_login(supervisor.user)
    url = reverse("tyonohjaus_engagements:index")
    response = client.get(url, {"state": "cancelled"})
    assert listed_ids(response) == [cancelled[0].pk]
    assert response.context["is_filtering"]
    # Wagtail's own filter form with the state choices (radio buttons).
    assert 'name="state" value="cancelled"' in response.content.decode()
    monkeypatch.setattr(EngagementIndexView, "get_paginate_by", lambda self, queryset: 2)
    first = client.get(url, {"state": "planned"})
    assert first.context["paginator"].num_pages == 3 and len(listed_ids(first)) == 2
    last = client.get(url, {"state": "planned", "p": 3})
    seen = listed_ids(first) + listed_ids(client.get(url, {"state": "planned", "p": 2}))
    seen += listed_ids(last)
    assert sorted(seen) == sorted(e.pk for e in planned)  # every row once, in a stable order
    # Ordering by Wagtail's column headers.
    ordered = client.get(url, {"ordering": "state"})
    assert listed_ids(ordered)[0] == cancelled[0].pk


def test_the_search_looks_at_names_only_never_the_answers(client, admin_urls):
    supervisor = make_supervisor()
    (engagement,) = make_engagements(supervisor, 1)
    applicant = engagement.application.applicant
    applicant.first_name, applicant.last_name = "Ilmari", "Esimerkki"
    applicant.save()
    client.force_login(supervisor.user)
    url = reverse("tyonohjaus_engagements:index")
    assert listed_ids(client.get(url, {"q": "ilmari esimerkki"})) == [engagement.pk]
    assert listed_ids(client.get(url, {"q": "epäselvä"})) == []  # a word of the situation
    assert listed_ids(client.get(url, {"q": applicant.email})) == []


@pytest.mark.parametrize("who", ["hr", "supervisor"])
def test_the_listing_query_count_does_not_grow_with_the_rows(
    client, admin_urls, django_assert_max_num_queries, who
):
    supervisor = make_supervisor()
    user = supervisor.user if who == "supervisor" else user_with("access_admin", "view_engagement")
    client.force_login(user)
    url = reverse("tyonohjaus_engagements:index")
    client.get(url)  # warm the session, site and locale caches
    make_engagements(supervisor, 2)
    # 13: the menu asks once whether the user is a supervisor ("My availability").
    with django_assert_max_num_queries(13) as few:
        assert client.get(url).status_code == 200
    make_engagements(supervisor, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(listed_ids(response)) == 22


def test_the_outbox_filters_by_state_and_kind_and_counts_each_state(client, admin_urls):
    now = timezone.now()
    rows = [
        Delivery(kind="invitation", target_id=1, recipient="u1", state="sent", due_at=now),
        Delivery(kind="invitation", target_id=2, recipient="u1", state="failed", due_at=now),
        Delivery(kind="meeting_reminder", target_id=3, recipient="u2", state="failed", due_at=now),
    ]
    Delivery.objects.bulk_create(rows)
    client.force_login(user_with("access_admin", "view_delivery", "change_delivery"))
    url = reverse("tyonohjaus_outbox:index")
    failed = client.get(url, {"state": "failed"})
    assert {d.target_id for d in failed.context["object_list"]} == {2, 3}
    assert {code: n for code, _label, n in failed.context["state_counts"]}["failed"] == 2
    assert failed.content.decode().count("/resend/") == 2
    both = client.get(url, {"state": "failed", "kind": "meeting_reminder"})
    assert [d.target_id for d in both.context["object_list"]] == [3]
    assert client.get(url, {"state": "sent"}).content.decode().count("/resend/") == 0
