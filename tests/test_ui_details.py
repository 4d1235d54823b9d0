"""Details a new user tripped over (issue 14, item 15): the doubled "(optional)", the feedback
report's counts and empty comments, and the supervisors' capacity in the round being matched."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import translation
from wagtail.users.models import UserProfile

from tests.factories import ApplicationRoundFactory, UserFactory
from tests.utils import group_for
from tyonohjaus_plugin.applications.forms import ApplicationForm, EditApplicationForm
from tyonohjaus_plugin.models import FeedbackResponse, Supervisor, SupervisorCapacity

pytestmark = pytest.mark.django_db

SUPERVISORS = "/admin/tyonohjaus/supervisors/"
SUMMARY = "/admin/tyonohjaus/feedback/"
COMMENTS = "/admin/tyonohjaus/feedback/comments/"


def hr_client():
    user = UserFactory()
    user.groups.add(group_for("hr"))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"  # the wording checked below
    profile.save()
    client = Client()
    client.force_login(user)
    return client


# -- "(vapaaehtoinen) (vapaaehtoinen)" -------------------------------------------------------


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_optional_fields_say_so_once(language, locales):
    """form_field.html marks every optional field; a label must not say it again."""
    with translation.override(language):
        marker = str(translation.gettext("(optional)"))
        form = ApplicationForm(user=UserFactory(), off_round=True)
        for field in form:
            assert marker not in str(field.label), (language, field.name, field.label)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_service_page_form_shows_optional_once(client, live_service_pages_with_form, language):
    page = live_service_pages_with_form[language]
    client.force_login(UserFactory())
    content = client.get(page.url).content.decode()
    with translation.override(language):
        marker = str(translation.gettext("(optional)"))
    labels = re.findall(r"<label[^>]*>(.*?)</label>", content, flags=re.S)
    assert any(marker in label for label in labels)
    for label in labels:
        assert label.count(marker) <= 1, label


@pytest.fixture
def live_service_pages_with_form(service_pages, locales):
    from tests.factories import PrivacyNoticeFactory

    for page in service_pages.values():
        page.applications_enabled = True
        page.save_revision().publish()
    for code in ("fi", "sv", "en"):
        PrivacyNoticeFactory(locale=locales[code], title=f"Notice {code}")
    ApplicationRoundFactory(service_key=service_pages["fi"].translation_key)
    return service_pages


def test_edit_form_labels_follow_the_same_rule(locales):
    from tests.factories import ApplicationFactory

    application = ApplicationFactory()
    with translation.override("fi"):
        form = EditApplicationForm(application=application)
        assert all("(vapaaehtoinen)" not in str(field.label) for field in form)


# -- feedback report ---------------------------------------------------------------------------


@pytest.fixture
def answers(service_pages):
    fi, sv = service_pages["fi"], service_pages["sv"]
    day = datetime.date(2026, 10, 5)
    for page, found, comment in [
        (fi, True, ""),
        (fi, True, ""),
        (fi, False, "Hinnat puuttuivat"),
        (sv, True, ""),
        (sv, False, "Saknade kontaktuppgifter"),
    ]:
        FeedbackResponse.objects.create(
            page=page, locale=page.locale, found_information=found, comment=comment, created_on=day
        )


@pytest.fixture
def english_admin(admin_client, admin_user):
    """Wagtail admin in English (the user's own setting), for the wording below."""
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    return admin_client


def test_summary_counts_responses_not_rows(english_admin, answers):
    content = english_admin.get(SUMMARY).content.decode()
    # Two rows (a page in two languages), five responses: the count under the table says so.
    assert "5 responses" in content
    assert "2 feedback responses" not in content


def test_comments_list_leaves_out_empty_comments(english_admin, answers):
    admin_client = english_admin
    response = admin_client.get(COMMENTS)
    comments = [item.comment for item in response.context["object_list"]]
    assert sorted(comments) == ["Hinnat puuttuivat", "Saknade kontaktuppgifter"]
    assert "2 comments" in response.content.decode()
    rows = b"".join(admin_client.get(f"{COMMENTS}?export=csv").streaming_content).decode()
    assert len(rows.strip().splitlines()) == 3  # the heading and the two comments


# -- supervisors' capacity in the current round -----------------------------------------------


def supervisor(name, default):
    return Supervisor.objects.create(
        kind="external",
        name=name,
        email=f"{name.lower()}@example.org",
        languages=["fi"],
        formats=["individual"],
        default_capacity=default,
    )


def test_supervisor_list_shows_the_open_rounds_capacity_with_the_default_as_fallback():
    ApplicationRoundFactory(name="Syksy 2026", state="closed")
    current = ApplicationRoundFactory(name="Kevät 2027", state="open")
    aino, ben = supervisor("Aino", 3), supervisor("Ben", 2)
    SupervisorCapacity.objects.create(supervisor=aino, round=current, capacity=1)

    client = hr_client()
    response = client.get(SUPERVISORS)
    content = response.content.decode()
    assert "Capacity in Kevät 2027" in content
    # Aino: 1 in this round (default 3); Ben: his default 2.
    rows = {s.pk: s.round_capacity for s in response.context["object_list"]}
    assert rows == {aino.pk: 1, ben.pk: 2}
    ordered = client.get(f"{SUPERVISORS}?ordering=round_capacity").context["object_list"]
    assert [s.pk for s in ordered] == [aino.pk, ben.pk]


def test_without_a_current_round_only_the_default_capacity_is_shown():
    ApplicationRoundFactory(name="Kevät 2025", state="archived")
    supervisor("Aino", 3)
    content = hr_client().get(SUPERVISORS).content.decode()
    assert "Capacity in" not in content
