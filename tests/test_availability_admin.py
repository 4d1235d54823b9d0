"""Supervisors' weekly availability and periods without meetings: HR on the supervisor form,
an internal supervisor on "My availability" (issue 18 item 1)."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.factories import SupervisorAvailabilityFactory, SupervisorFactory, UserFactory
from tyonohjaus_plugin.models import SupervisorAvailability, SupervisorBlockedPeriod

pytestmark = pytest.mark.django_db
URL = "tyonohjaus_my_availability:edit"


def user_with(*codenames, **fields):
    user = UserFactory(**fields)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def formsets(windows=(), periods=(), initial_windows=()):
    data = {
        "availability-TOTAL_FORMS": str(len(initial_windows) + len(windows)),
        "availability-INITIAL_FORMS": str(len(initial_windows)),
        "availability-MIN_NUM_FORMS": "0",
        "availability-MAX_NUM_FORMS": "1000",
        "blocked_periods-TOTAL_FORMS": str(len(periods)),
        "blocked_periods-INITIAL_FORMS": "0",
        "blocked_periods-MIN_NUM_FORMS": "0",
        "blocked_periods-MAX_NUM_FORMS": "1000",
    }
    for index, (pk, delete) in enumerate(initial_windows):
        row = SupervisorAvailability.objects.get(pk=pk)
        data.update(
            {
                f"availability-{index}-id": str(pk),
                f"availability-{index}-weekday": str(row.weekday),
                f"availability-{index}-starts": row.starts.strftime("%H:%M"),
                f"availability-{index}-ends": row.ends.strftime("%H:%M"),
                f"availability-{index}-location": row.location,
            }
        )
        if delete:
            data[f"availability-{index}-DELETE"] = "1"
    for index, (weekday, starts, ends, location) in enumerate(windows, len(initial_windows)):
        data.update(
            {
                f"availability-{index}-weekday": str(weekday),
                f"availability-{index}-starts": starts,
                f"availability-{index}-ends": ends,
                f"availability-{index}-location": location,
            }
        )
    for index, (first, last) in enumerate(periods):
        data.update(
            {f"blocked_periods-{index}-first_day": first, f"blocked_periods-{index}-last_day": last}
        )
    return data


def test_a_supervisor_edits_their_own_availability(client):
    supervisor = SupervisorFactory(internal=True, user=user_with("access_admin"))
    old = SupervisorAvailabilityFactory(supervisor=supervisor)
    client.force_login(supervisor.user)
    page = client.get(reverse(URL))
    assert page.status_code == 200 and "availability-TOTAL_FORMS" in page.content.decode()
    assert reverse(URL) in client.get(reverse("wagtailadmin_home")).content.decode()
    response = client.post(
        reverse(URL),
        formsets(
            windows=[(3, "13:00", "16:00", "B204")],
            periods=[("2027-07-01", "2027-07-31")],
            initial_windows=[(old.pk, True)],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(supervisor.availability.values_list("weekday", "starts", "location")) == [
        (3, datetime.time(13), "B204")
    ]
    assert SupervisorBlockedPeriod.objects.filter(supervisor=supervisor).count() == 1


def test_an_end_before_the_start_is_refused_at_the_field(client):
    supervisor = SupervisorFactory(internal=True, user=user_with("access_admin"))
    client.force_login(supervisor.user)
    response = client.post(reverse(URL), formsets(windows=[(1, "12:00", "09:00", "")]))
    assert response.status_code == 200  # the form again, with the error
    with translation.override("fi"):
        assert gettext("The end must be after the start.") in response.content.decode()
    assert not supervisor.availability.exists()


def test_others_get_no_screen_and_no_menu_item(client):
    client.force_login(user_with("access_admin", "view_engagement"))
    assert client.get(reverse(URL), follow=True).status_code == 404
    assert reverse(URL) not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_hr_edits_availability_on_the_supervisor_form(client):
    supervisor = SupervisorFactory()
    client.force_login(user_with("access_admin", "change_supervisor", "view_supervisor"))
    page = client.get(reverse("tyonohjaus_supervisors:edit", args=[supervisor.pk]))
    content = page.content.decode()
    assert "availability-TOTAL_FORMS" in content and "blocked_periods-TOTAL_FORMS" in content
