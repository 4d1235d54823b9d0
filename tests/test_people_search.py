"""Finding colleagues for a group application: active people only, by name or e-mail."""

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "me": UserFactory(first_name="Liisa", last_name="Aalto", email="liisa.a@example.org"),
        "liisa": UserFactory(first_name="Liisa", last_name="Heikkinen", email="lh@example.org"),
        "leo": UserFactory(first_name="Leo", last_name="Lindholm", email="leo@example.org"),
        "gone": UserFactory(
            first_name="Liisa", last_name="Lähtenyt", email="gone@example.org", is_active=False
        ),
    }


def search(user, query):
    client = Client()
    client.force_login(user)
    return client.get("/fi/hr/people/", {"q": query})


def test_finds_active_colleagues_by_name_and_email(people):
    names = [r["name"] for r in search(people["me"], "liisa").json()["results"]]
    assert names == ["Liisa Heikkinen"]  # not myself, not the inactive one
    assert search(people["me"], "liisa hei").json()["results"][0]["email"] == "lh@example.org"
    assert [r["email"] for r in search(people["me"], "leo@").json()["results"]] == [
        "leo@example.org"
    ]


def test_short_queries_and_limits(people):
    assert search(people["me"], "l").json() == {"results": []}
    for number in range(12):
        UserFactory(first_name="Laura", last_name=f"Lahti{number}")
    assert len(search(people["me"], "laura").json()["results"]) == 8


def test_login_required_and_no_caching(people):
    response = Client().get("/fi/hr/people/", {"q": "liisa"})
    assert response.status_code == 302
    cache_control = search(people["me"], "liisa")["Cache-Control"]
    assert "no-store" in cache_control or "no-cache" in cache_control
