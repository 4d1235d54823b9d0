"""The application form's own rules (the view and the page section build on it)."""

import pytest
from django.utils import translation

from tests.factories import UserFactory
from tyonohjaus_plugin.applications.forms import ApplicationForm
from tyonohjaus_plugin.applications.profiles import get_employee_profile
from tyonohjaus_plugin.models import Theme

pytestmark = pytest.mark.django_db


def make_form(user, locale, off_round=False, **data):
    data.setdefault("format", "individual")
    data.setdefault("languages", ["fi"])
    data.setdefault("situation", "Uusi tiimi")
    data.setdefault("goals", "Selkeyttä työhön")
    data.setdefault("supervisor_preference", "none")
    data.setdefault("consent", "on")
    return ApplicationForm(data, user=user, off_round=off_round)


@pytest.fixture
def fi(locales):
    return locales["fi"]


def test_individual_application_is_valid(fi):
    form = make_form(UserFactory(), fi)
    assert form.is_valid(), form.errors
    data = form.to_data()
    assert (data.format, data.languages, data.co_applicants) == ("individual", ["fi"], [])


def test_group_members_are_found_by_email_case_insensitively(fi):
    applicant = UserFactory(email="anna@example.org")
    bo = UserFactory(email="Bo.Berg@example.org")
    cia = UserFactory(email="cia@example.org")
    form = make_form(
        applicant, fi, format="group", co_applicants="bo.berg@EXAMPLE.org\ncia@example.org"
    )
    assert form.is_valid(), form.errors
    assert form.to_data().co_applicants == [bo, cia]


@pytest.mark.parametrize(
    ("co_applicants", "message"),
    [
        ("", "List 1 to 3 colleagues."),
        ("a@x.org b@x.org c@x.org d@x.org", "List 1 to 3 colleagues."),
        ("a@x.org a@x.org", "only once"),
        ("me@x.org", "yourself"),
        ("ghost@x.org", "No active colleague has the address ghost@x.org."),
        ("retired@x.org", "No active colleague has the address retired@x.org."),
    ],
)
def test_group_member_rules(fi, co_applicants, message):
    for address in ("a@x.org", "b@x.org", "c@x.org", "d@x.org"):
        UserFactory(email=address)
    UserFactory(email="retired@x.org", is_active=False)
    me = UserFactory(email="me@x.org")
    form = make_form(me, fi, format="group", co_applicants=co_applicants)
    with translation.override("en"):
        assert not form.is_valid()
        assert message in " ".join(form.errors["co_applicants"])


def test_individual_with_colleagues_is_an_error(fi):
    UserFactory(email="b@x.org")
    form = make_form(UserFactory(), fi, co_applicants="b@x.org")
    assert not form.is_valid()
    assert "co_applicants" in form.errors


def test_off_round_needs_a_reason_and_rounds_have_no_such_field(fi):
    user = UserFactory()
    assert "off_round_reason" not in make_form(user, fi).fields
    form = make_form(user, fi, off_round=True)
    assert not form.is_valid() and "off_round_reason" in form.errors
    form = make_form(user, fi, off_round=True, off_round_reason="Äkillinen muutos")
    assert form.is_valid(), form.errors
    assert form.to_data().off_round_reason == "Äkillinen muutos"


def test_consent_and_free_text_are_required_and_bounded(fi):
    form = make_form(UserFactory(), fi, consent="", situation="x" * 3001)
    assert not form.is_valid()
    assert set(form.errors) >= {"consent", "situation"}


def test_injected_fields_are_ignored(fi):
    form = make_form(UserFactory(), fi, status="matched", applicant="1", supervisor="7")
    assert form.is_valid()
    assert not {"status", "applicant", "supervisor"} & set(form.cleaned_data)


def test_active_themes_are_offered_once_by_translation_key_in_the_readers_language(locales):
    change = Theme.objects.create(name="Muutos", locale=locales["fi"], sort_order=1)
    Theme.objects.create(
        name="Förändring", locale=locales["sv"], translation_key=change.translation_key
    )
    Theme.objects.create(name="Vanha", locale=locales["fi"], active=False)
    role = Theme.objects.create(name="Uusi rooli", locale=locales["fi"], sort_order=2)
    only_sv = Theme.objects.create(name="Bara svenska", locale=locales["sv"], sort_order=3)
    expected = {
        "fi": [
            (str(change.translation_key), "Muutos"),
            (str(role.translation_key), "Uusi rooli"),
            (str(only_sv.translation_key), "Bara svenska"),
        ],
        "sv": [
            (str(change.translation_key), "Förändring"),
            (str(role.translation_key), "Uusi rooli"),  # no Swedish name: the Finnish one
            (str(only_sv.translation_key), "Bara svenska"),
        ],
    }
    for language, choices in expected.items():
        with translation.override(language):
            form = make_form(UserFactory(), None, themes=[str(change.translation_key)])
            assert list(form.fields["themes"].choices) == choices
            assert form.is_valid(), form.errors
            # Stored on the canonical (default-locale) row, whichever language ticked it.
            assert form.to_data().theme_ids == [change.pk]
    # A theme's row id or an unknown key is not a choice.
    form = make_form(UserFactory(), None, themes=[str(change.pk)])
    assert "themes" in form.errors


def test_profile_comes_from_the_configured_resolver(settings):
    settings.TYONOHJAUS_PLUGIN = {
        "EMPLOYEE_PROFILE_RESOLVER": "tests.test_application_form.directory_resolver"
    }
    user = UserFactory(username="emma")
    profile = get_employee_profile(user)
    assert (profile.unit_code, profile.unit_name, profile.preferred_language) == (
        "H523",
        "Kielikeskus",
        "sv",
    )
    settings.TYONOHJAUS_PLUGIN = {}
    assert get_employee_profile(user).unit_code == "H523"  # kept when the resolver says nothing


def directory_resolver(user):
    return {"unit_code": "H523", "unit_name": "Kielikeskus", "preferred_language": "sv", "x": 1}
