"""HR manages application rounds in Wagtail admin; open and close go through their actions."""

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from tests.factories import ApplicationRoundFactory
from tests.utils import group_for
from tyonohjaus_plugin.models import ApplicationRound, RoundState

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_client(client, django_user_model):
    user = django_user_model.objects.create_user("hr", password="pw")
    group = group_for("hr", models=["applicationround"], name="Round managers")
    user.groups.add(group)
    client.force_login(user)
    return client


def test_hr_creates_a_round_for_a_service_chosen_by_its_page(hr_client, service_pages):
    service = service_pages["fi"]
    assert hr_client.get("/admin/tyonohjaus/rounds/").status_code == 200
    form = hr_client.get("/admin/tyonohjaus/rounds/new/").content.decode()
    assert "Työnohjaus" in form
    response = hr_client.post(
        "/admin/tyonohjaus/rounds/new/",
        {
            "name": "Syksy 2027",
            "service": str(service.translation_key),
            "opens_at": "2027-08-15 09:00",
            "closes_at": "2027-09-10 16:00",
            "programme_starts_on": "2027-10-01",
            "programme_ends_on": "2028-03-31",
            "target_places": "40",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    round = ApplicationRound.objects.get()
    assert (round.service_key, round.state, round.target_places) == (
        service.translation_key,
        RoundState.UPCOMING,
        40,
    )
    assert round.opens_at.isoformat().startswith("2027-08-15T06:00")  # 09:00 in Helsinki


def test_closing_before_opening_is_a_field_error(hr_client, service_pages):
    response = hr_client.post(
        "/admin/tyonohjaus/rounds/new/",
        {
            "name": "Virhe",
            "service": str(service_pages["fi"].translation_key),
            "opens_at": "2027-08-15 09:00",
            "closes_at": "2027-08-01 09:00",
        },
    )
    assert response.status_code == 200
    assert ApplicationRound.objects.count() == 0


def test_open_and_close_through_confirmations(hr_client):
    round = ApplicationRoundFactory(state=RoundState.UPCOMING)
    listing = hr_client.get("/admin/tyonohjaus/rounds/").content.decode()
    assert f"/admin/tyonohjaus/rounds/{round.pk}/open/" in listing
    assert hr_client.get(f"/admin/tyonohjaus/rounds/{round.pk}/open/").status_code == 200
    hr_client.post(f"/admin/tyonohjaus/rounds/{round.pk}/open/")
    round.refresh_from_db()
    assert round.state == RoundState.OPEN

    second = ApplicationRoundFactory(service_key=round.service_key, state=RoundState.UPCOMING)
    hr_client.post(f"/admin/tyonohjaus/rounds/{second.pk}/open/")
    second.refresh_from_db()
    assert second.state == RoundState.UPCOMING  # the database keeps one open round

    hr_client.post(f"/admin/tyonohjaus/rounds/{round.pk}/close/")
    round.refresh_from_db()
    assert round.state == RoundState.CLOSED and round.closes_at <= timezone.now()


def test_without_manage_rounds_open_is_403(client, django_user_model):
    user = django_user_model.objects.create_user("viewer", password="pw")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_applicationround"])
    )
    client.force_login(user)
    round = ApplicationRoundFactory(state=RoundState.UPCOMING)
    assert client.post(f"/admin/tyonohjaus/rounds/{round.pk}/open/").status_code == 403
    round.refresh_from_db()
    assert round.state == RoundState.UPCOMING
