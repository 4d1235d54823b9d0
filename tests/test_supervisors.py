"""HR manages supervisors in Wagtail admin; every change is in the audit log without names."""

import json
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from wagtail.models import GroupPagePermission, ModelLogEntry, Page

from tests.factories import ApplicationRoundFactory, UserFactory
from tests.utils import group_for
from tyonohjaus_plugin.models import Supervisor, SupervisorCapacity, SupervisorKind, Theme
from tyonohjaus_plugin.supervisors.forms import SupervisorForm

pytestmark = pytest.mark.django_db

INDEX = "/admin/tyonohjaus/supervisors/"
ADD = f"{INDEX}new/"


def edit_url(supervisor):
    return f"{INDEX}edit/{supervisor.pk}/"


def delete_url(supervisor):
    return f"{INDEX}delete/{supervisor.pk}/"


def make_user(username, *codenames, **fields):
    user = UserFactory(username=username, **fields)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def make_supervisor(**fields):
    fields.setdefault("kind", SupervisorKind.EXTERNAL)
    if fields["kind"] == SupervisorKind.EXTERNAL:
        fields.setdefault("name", "Kaisa Rinne")
        fields.setdefault("email", f"{fields['name'].split()[0].lower()}@example.org")
    fields.setdefault("languages", ["fi"])
    fields.setdefault("formats", ["individual"])
    return Supervisor.objects.create(**fields)


def form_data(capacities=(), **overrides):
    """POST data for the add/edit form; ``capacities`` are (round, capacity[, row id]) rows."""
    data = {
        "kind": "external",
        "user": "",
        "name": "Kaisa Rinne",
        "email": "kaisa.rinne@example.org",
        "organisation": "Ohjauspalvelu Rinne",
        "qualification": "Työnohjaajakoulutus 2019",
        "languages": ["en", "fi"],
        "formats": ["individual", "group"],
        "themes": [],
        "unit_codes": "",
        "conflict_unit_codes": "",
        "conflict_users": [],
        "default_capacity": "3",
        "cost_per_meeting": "120.00",
        "active": "on",
        "round_capacities-TOTAL_FORMS": str(len(capacities)),
        "round_capacities-INITIAL_FORMS": str(sum(len(row) > 2 for row in capacities)),
        "round_capacities-MIN_NUM_FORMS": "0",
        "round_capacities-MAX_NUM_FORMS": "1000",
        # Weekly availability and periods without meetings: none here.
        **{
            f"{name}-{field}": value
            for name in ("availability", "blocked_periods")
            for field, value in (
                ("TOTAL_FORMS", "0"),
                ("INITIAL_FORMS", "0"),
                ("MIN_NUM_FORMS", "0"),
                ("MAX_NUM_FORMS", "1000"),
            )
        },
    }
    for index, (round, capacity, *row_id) in enumerate(capacities):
        prefix = f"round_capacities-{index}-"
        data[f"{prefix}round"] = str(round.pk)
        data[f"{prefix}capacity"] = str(capacity)
        data[f"{prefix}id"] = str(row_id[0]) if row_id else ""
        data[f"{prefix}DELETE"] = ""
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def supervisor_logs(action=None):
    entries = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Supervisor)
    )
    return entries.filter(action=action) if action else entries


@pytest.fixture
def hr(db):
    group = group_for("hr", models=["supervisor"], name="HR")
    user = UserFactory(username="hr", first_name="Helena", last_name="Korhonen")
    user.groups.add(group)
    return user


@pytest.fixture
def hr_client(client, hr):
    client.force_login(hr)
    return client


def field_errors_html(content, field):
    """The error box Wagtail renders inside the field's own wrapper ("" when there is none)."""
    match = re.search(rf'id="[^"]*-child-{field}-errors">(.*?)</div>', content, re.DOTALL)
    return match.group(1).strip() if match else ""


def errors_of(response):
    assert response.status_code == 200, response.status_code
    return response.context["form"].errors


# --- creating and editing -------------------------------------------------------------------


def test_hr_creates_an_external_supervisor_with_a_round_capacity(hr_client, locales):
    spring, autumn = ApplicationRoundFactory(), ApplicationRoundFactory(state="closed")
    theme = Theme.objects.create(name="Muutos työssä", locale=locales["fi"])
    assert hr_client.get(ADD).status_code == 200

    response = hr_client.post(
        ADD,
        form_data(
            capacities=[(spring, 5)],
            themes=[str(theme.pk)],
            unit_codes="H523",
            conflict_unit_codes="T200,\nO310, T200",
        ),
    )

    assert response.status_code == 302, errors_of(response)
    supervisor = Supervisor.objects.get()
    assert supervisor.kind == SupervisorKind.EXTERNAL
    assert (supervisor.name, supervisor.email, supervisor.organisation) == (
        "Kaisa Rinne",
        "kaisa.rinne@example.org",
        "Ohjauspalvelu Rinne",
    )
    assert supervisor.languages == ["fi", "en"]  # stored in the order of settings.LANGUAGES
    assert supervisor.formats == ["individual", "group"]
    assert supervisor.unit_codes == ["H523"]
    assert supervisor.conflict_unit_codes == ["O310", "T200"]  # sorted, without repeats
    assert supervisor.cost_per_meeting == Decimal("120.00")
    assert list(supervisor.themes.all()) == [theme]
    assert supervisor.capacity_for(spring) == 5
    assert supervisor.capacity_for(autumn) == 3


def test_hr_creates_an_internal_supervisor_linked_to_a_user(hr_client):
    employee = UserFactory(username="sami", first_name="Sami", last_name="Nieminen")
    conflict = UserFactory(username="oskar")
    response = hr_client.post(
        ADD,
        form_data(
            kind="internal",
            user=str(employee.pk),
            name="",
            email="",
            organisation="",
            cost_per_meeting="",
            unit_codes="O310",
            conflict_users=[str(conflict.pk)],
        ),
    )
    assert response.status_code == 302, errors_of(response)
    supervisor = Supervisor.objects.get()
    assert supervisor.user == employee and supervisor.name == "" and supervisor.email == ""
    assert supervisor.cost_per_meeting is None
    assert supervisor.display_name == "Sami Nieminen"
    assert supervisor.contact_email == employee.email
    assert list(supervisor.conflict_users.all()) == [conflict]


def test_hr_edits_a_supervisor_and_its_round_capacity(hr_client):
    round = ApplicationRoundFactory()
    supervisor = make_supervisor(default_capacity=2)
    row = SupervisorCapacity.objects.create(supervisor=supervisor, round=round, capacity=4)
    form = hr_client.get(edit_url(supervisor)).content.decode()
    assert 'value="Kaisa Rinne"' in form

    response = hr_client.post(
        edit_url(supervisor),
        form_data(capacities=[(round, 6, row.pk)], name="Kaisa Rinne-Laine", active=None),
    )

    assert response.status_code == 302, errors_of(response)
    supervisor.refresh_from_db()
    assert supervisor.name == "Kaisa Rinne-Laine" and supervisor.active is False
    assert supervisor.capacity_for(round) == 6
    assert SupervisorCapacity.objects.count() == 1


def test_the_same_round_twice_is_refused(hr_client):
    round = ApplicationRoundFactory()
    response = hr_client.post(ADD, form_data(capacities=[(round, 1), (round, 2)]))
    assert response.status_code == 200
    formset = response.context["form"].formsets["round_capacities"]
    assert formset.non_form_errors()
    assert not Supervisor.objects.exists()


# --- validation -----------------------------------------------------------------------------


def test_errors_are_shown_next_to_the_fields_and_typed_values_are_kept(hr_client):
    response = hr_client.post(
        ADD,
        form_data(
            name="Kaisa Rinne",
            email="",
            unit_codes="H523, Kieli keskus",
            conflict_unit_codes="X" * 51,
            languages=[],
        ),
    )
    errors = errors_of(response)
    assert set(errors) == {"email", "unit_codes", "conflict_unit_codes", "languages"}
    assert "Kieli keskus" in errors["unit_codes"][0]
    assert "50" in errors["conflict_unit_codes"][0]
    content = response.content.decode()
    assert "Kieli keskus" in field_errors_html(content, "unit_codes")
    assert field_errors_html(content, "email")
    assert not field_errors_html(content, "name")
    assert 'value="Kaisa Rinne"' in content
    assert "H523, Kieli keskus" in content
    assert not Supervisor.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": ""}, "email"),
        ({"name": ""}, "name"),
        ({"kind": "internal", "name": "", "email": "", "user": ""}, "user"),
        ({"kind": "internal", "name": "", "email": ""}, "cost_per_meeting"),
        ({"kind": "internal", "email": "", "cost_per_meeting": ""}, "name"),
        ({"cost_per_meeting": "-5"}, "cost_per_meeting"),
    ],
)
def test_rules_of_the_constraints_are_field_errors(hr_client, overrides, field):
    if overrides.get("kind") == "internal" and "user" not in overrides:
        overrides["user"] = str(UserFactory().pk)
    errors = errors_of(hr_client.post(ADD, form_data(**overrides)))
    assert field in errors
    assert not Supervisor.objects.exists()


def test_an_external_supervisor_gets_no_user_account(hr_client):
    errors = errors_of(hr_client.post(ADD, form_data(user=str(UserFactory().pk))))
    assert list(errors) == ["user"]


def test_the_database_refuses_what_the_form_refuses(db):
    user = UserFactory()
    bad = [
        {"kind": "external", "name": "Kaisa Rinne", "email": ""},
        {"kind": "internal", "user": None},
        {"kind": "internal", "user": user, "cost_per_meeting": Decimal("10")},
    ]
    for fields in bad:
        with pytest.raises(IntegrityError), transaction.atomic():
            Supervisor.objects.create(**fields)


def test_themes_are_offered_in_the_default_language_only(locales):
    fi = Theme.objects.create(name="Uusi rooli", locale=locales["fi"])
    sv = Theme.objects.create(
        name="Ny roll", locale=locales["sv"], translation_key=fi.translation_key
    )
    form = SupervisorForm()
    assert list(form.fields["themes"].queryset) == [fi]
    bound = SupervisorForm(data={**form_data(), "themes": [str(sv.pk)]})
    assert "themes" in bound.errors


def test_a_user_already_supervising_is_not_offered_again(db):
    taken = UserFactory()
    free = UserFactory()
    inactive = UserFactory(is_active=False)
    supervisor = make_supervisor(kind=SupervisorKind.INTERNAL, user=taken)
    offered = set(SupervisorForm().fields["user"].queryset)
    assert free in offered and taken not in offered and inactive not in offered
    assert taken in set(SupervisorForm(instance=supervisor).fields["user"].queryset)
    assert inactive not in set(SupervisorForm().fields["conflict_users"].queryset)


# --- listing --------------------------------------------------------------------------------


@pytest.fixture
def three_supervisors(db):
    employee = UserFactory(username="sami", first_name="Sami", last_name="Nieminen")
    return {
        "internal": make_supervisor(
            kind=SupervisorKind.INTERNAL,
            user=employee,
            languages=["fi", "sv"],
            formats=["individual", "team"],
        ),
        "swedish": make_supervisor(
            name="Anna Lindholm",
            languages=["sv"],
            formats=["group"],
            active=False,
        ),
        "english": make_supervisor(
            name="Kaisa Rinne",
            email="kaisa@ohjaus.example",
            languages=["en", "fi"],
            formats=["team"],
        ),
    }


def listed(client, query=""):
    response = client.get(f"{INDEX}{query}")
    assert response.status_code == 200
    return {supervisor.pk for supervisor in response.context["object_list"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"internal", "swedish", "english"}),
        ("?kind=external", {"swedish", "english"}),
        ("?kind=internal", {"internal"}),
        ("?active=false", {"swedish"}),
        ("?active=true", {"internal", "english"}),
        ("?language=sv", {"internal", "swedish"}),
        ("?language=en", {"english"}),
        ("?format=team", {"internal", "english"}),
        ("?format=group&language=sv", {"swedish"}),
        ("?q=lindholm", {"swedish"}),
        ("?q=Nieminen", {"internal"}),
        ("?q=sami+nieminen", {"internal"}),
        ("?q=ohjaus.example", {"english"}),
        ("?q=nobody", set()),
    ],
)
def test_listing_filters_and_search(hr_client, three_supervisors, query, expected):
    assert listed(hr_client, query) == {three_supervisors[key].pk for key in expected}


def test_listing_shows_names_and_sorts_by_them(hr_client, three_supervisors):
    content = hr_client.get(INDEX).content.decode()
    for name in ("Sami Nieminen", "Anna Lindholm", "Kaisa Rinne"):
        assert name in content
    assert edit_url(three_supervisors["english"]) in content
    assert "Supervisor #" not in content

    response = hr_client.get(f"{INDEX}?ordering=-sort_name")
    names = [supervisor.display_name for supervisor in response.context["object_list"]]
    assert names == ["Sami Nieminen", "Kaisa Rinne", "Anna Lindholm"]


def test_edit_and_delete_screens_name_the_supervisor(hr_client, three_supervisors):
    supervisor = three_supervisors["english"]
    for url in (edit_url(supervisor), delete_url(supervisor), f"{INDEX}history/{supervisor.pk}/"):
        content = hr_client.get(url).content.decode()
        assert "Kaisa Rinne" in content, url
        assert f"Supervisor #{supervisor.pk}" not in content, url


def test_no_copy_view(hr_client, three_supervisors):
    supervisor = three_supervisors["english"]
    with pytest.raises(NoReverseMatch):
        reverse("tyonohjaus_supervisors:copy", args=[supervisor.pk])
    assert f"{INDEX}copy/" not in hr_client.get(edit_url(supervisor)).content.decode()


# --- permissions ----------------------------------------------------------------------------


@pytest.fixture
def page_editor(db):
    group = Group.objects.create(name="Service page editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group,
            page=Page.get_first_root_node(),
            permission=Permission.objects.get(
                codename=codename, content_type__app_label="wagtailcore"
            ),
        )
    user = UserFactory(username="editor")
    user.groups.add(group)
    return user


@pytest.mark.parametrize("role", ["page_editor", "admin_only"])
def test_without_supervisor_permissions_everything_is_refused(client, request, role):
    user = request.getfixturevalue("page_editor") if role == "page_editor" else None
    user = user or make_user("plain", "access_admin")
    supervisor = make_supervisor(name="Anna Lindholm")
    client.force_login(user)

    home = client.get("/admin/").content.decode()
    assert "tyonohjaus/supervisors" not in home  # no menu item
    requests = [
        ("get", INDEX, {}),
        ("get", ADD, {}),
        ("post", ADD, form_data(name="Uusi Ohjaaja")),
        ("get", edit_url(supervisor), {}),
        ("post", edit_url(supervisor), form_data(name="Muutettu Nimi")),
        ("post", delete_url(supervisor), {}),
    ]
    for method, url, data in requests:
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response["Location"] == "/admin/", url
        followed = client.get(response["Location"]).content.decode()
        assert "Anna Lindholm" not in followed
    supervisor.refresh_from_db()
    assert supervisor.name == "Anna Lindholm"
    assert Supervisor.objects.count() == 1
    assert not supervisor_logs().exists()


def test_view_permission_lists_but_does_not_change(client):
    supervisor = make_supervisor(name="Anna Lindholm")
    client.force_login(make_user("viewer", "access_admin", "view_supervisor"))

    assert "tyonohjaus/supervisors" in client.get("/admin/").content.decode()
    listing = client.get(INDEX).content.decode()
    assert "Anna Lindholm" in listing
    assert edit_url(supervisor) not in listing and delete_url(supervisor) not in listing
    assert ADD not in listing

    for url in (ADD, edit_url(supervisor), delete_url(supervisor)):
        assert client.get(url).status_code == 302, url
    client.post(edit_url(supervisor), form_data(name="Muutettu Nimi"))
    client.post(delete_url(supervisor))
    supervisor.refresh_from_db()
    assert supervisor.name == "Anna Lindholm"
    assert not supervisor_logs().exists()


# --- audit log ------------------------------------------------------------------------------


def assert_one_entry(action, supervisor_pk, user):
    entries = list(supervisor_logs())
    assert len(entries) == 1, [entry.action for entry in entries]
    entry = entries[0]
    assert entry.action == action
    assert entry.user_id == user.pk
    assert entry.object_id == str(supervisor_pk)
    assert entry.label == f"Supervisor #{supervisor_pk}"
    recorded = entry.label + json.dumps(entry.data)
    for part in ("Kaisa", "Rinne", "kaisa.rinne"):
        assert part not in recorded
    entry.delete()


def test_create_edit_and_delete_each_log_one_entry_without_names(hr_client, hr):
    assert hr_client.post(ADD, form_data()).status_code == 302
    supervisor = Supervisor.objects.get()
    assert_one_entry("tyonohjaus_plugin.supervisor.created", supervisor.pk, hr)

    response = hr_client.post(edit_url(supervisor), form_data(default_capacity="4"))
    assert response.status_code == 302
    assert_one_entry("tyonohjaus_plugin.supervisor.edited", supervisor.pk, hr)

    assert hr_client.get(delete_url(supervisor)).status_code == 200
    assert hr_client.post(delete_url(supervisor)).status_code == 302
    assert not Supervisor.objects.exists()
    assert_one_entry("tyonohjaus_plugin.supervisor.deleted", supervisor.pk, hr)


def test_history_shows_the_supervisor_actions(hr_client):
    hr_client.post(ADD, form_data())
    supervisor = Supervisor.objects.get()
    content = hr_client.get(f"{INDEX}history/{supervisor.pk}/").content.decode()
    assert "Työnohjaaja lisätty" in content  # the registered action's label, in Finnish


# --- model ----------------------------------------------------------------------------------


def test_capacity_for_a_round_or_the_default(db):
    spring, autumn = ApplicationRoundFactory(), ApplicationRoundFactory(state="closed")
    supervisor = make_supervisor(default_capacity=2)
    SupervisorCapacity.objects.create(supervisor=supervisor, round=spring, capacity=0)
    assert supervisor.capacity_for(spring) == 0
    assert supervisor.capacity_for(spring.pk) == 0
    assert supervisor.capacity_for(autumn) == 2


# --- escaping -------------------------------------------------------------------------------


def test_a_name_with_markup_is_escaped(hr_client):
    script = "<script>alert(1)</script>"
    response = hr_client.post(ADD, form_data(name=script), follow=True)
    assert response.status_code == 200
    supervisor = Supervisor.objects.get()
    assert supervisor.name == script
    pages = [
        response.content.decode(),  # the listing with the success message
        hr_client.get(INDEX).content.decode(),
        hr_client.get(edit_url(supervisor)).content.decode(),
        hr_client.get(delete_url(supervisor)).content.decode(),
    ]
    for content in pages:
        assert script not in content
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_view_only_user_reads_a_supervisor_on_its_detail_page(client, django_user_model, db):
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user("viewer", password="pw")
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_supervisor"])
    )
    client.force_login(viewer)
    supervisor = Supervisor.objects.create(
        kind="external",
        name="Outi <b>Ohjaaja</b>",
        email="outi@example.org",
        languages=["fi", "sv"],
        formats=["group"],
        unit_codes=["H100"],
        cost_per_meeting=120,
    )
    response = client.get(f"{INDEX}inspect/{supervisor.pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Outi &lt;b&gt;Ohjaaja&lt;/b&gt;" in content
    assert "outi@example.org" in content and "H100" in content
    assert "['fi'" not in content  # lists are shown as labels, not Python reprs
    listing = client.get(INDEX).content.decode()
    assert f"{INDEX}inspect/{supervisor.pk}/" in listing
