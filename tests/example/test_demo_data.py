import datetime
import io
from collections import Counter

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, Revision, Site
from wagtail_localize.models import (
    StringTranslation,
    Translation,
    TranslationLog,
    TranslationSource,
)

from example_site.home import demo_content
from example_site.home.management.commands.load_demo_data import (
    CLOSED_ROUND_NAME,
    HR_ASSISTANT_GROUP,
    HR_GROUP,
    PROVIDER_KEY,
    SERVICE_KEY,
)
from tyonohjaus_plugin.actions.submit_application import SubmitApplicationAction
from tyonohjaus_plugin.applications.data import ApplicationData
from tyonohjaus_plugin.matching.engine import solve
from tyonohjaus_plugin.matching.problem import (
    application_key,
    build_problem,
    matchable_applications,
    supervisor_key,
)
from tyonohjaus_plugin.models import (
    Application,
    ApplicationEvent,
    ApplicationParticipant,
    ApplicationRound,
    EmployeeProfile,
    FeedbackResponse,
    MatchRun,
    MatchUnmatched,
    ParticipantRole,
    ParticipantStatus,
    PrivacyNotice,
    Provider,
    RoundState,
    ServicePage,
    Supervisor,
    SupervisorCapacity,
    SupervisorKind,
    Theme,
)
from tyonohjaus_plugin.permissions import REGISTERED_CODENAMES
from tyonohjaus_plugin.tasks import run_matching_task


def snapshot():
    return {
        "pages": Page.objects.count(),
        "live_pages": Page.objects.live().count(),
        "users": get_user_model().objects.count(),
        "providers": Provider.objects.count(),
        "groups": Group.objects.count(),
        "page_permissions": GroupPagePermission.objects.count(),
        "sites": Site.objects.count(),
        "feedback": FeedbackResponse.objects.count(),
        "rounds": ApplicationRound.objects.count(),
        "applications": Application.objects.count(),
        "participants": ApplicationParticipant.objects.count(),
        "events": ApplicationEvent.objects.count(),
        "themes": Theme.objects.count(),
        "notices": PrivacyNotice.objects.count(),
        "profiles": EmployeeProfile.objects.count(),
        "supervisors": Supervisor.objects.count(),
        "round_capacities": SupervisorCapacity.objects.count(),
        "supervisor_themes": Supervisor.themes.through.objects.count(),
        "group_permissions": Group.permissions.through.objects.count(),
        "revisions": Revision.objects.count(),
        "translation_sources": TranslationSource.objects.count(),
        "translations": Translation.objects.count(),
        "string_translations": StringTranslation.objects.count(),
        "translation_logs": TranslationLog.objects.count(),
    }


def closed_round():
    return ApplicationRound.objects.get(service_key=SERVICE_KEY, name=CLOSED_ROUND_NAME)


def capacities_in(key):
    specs = demo_content.INTERNAL_SUPERVISORS + demo_content.EXTERNAL_SUPERVISORS
    return sum(key in spec for spec in specs)


def test_running_twice_gives_the_same_state(demo):
    first = snapshot()
    call_command("load_demo_data", stdout=io.StringIO())
    assert snapshot() == first
    # root, home ×3, service ×3: Wagtail's placeholder welcome page is gone.
    assert first["pages"] == 7
    assert first["providers"] == 3
    assert first["users"] == (
        len(demo_content.USERS)
        + len(demo_content.COLLEAGUES)
        + len(demo_content.SUPERVISOR_USERS)
        + len(demo_content.ROUND_COLLEAGUES)
    )
    assert first["rounds"] == 3 and first["themes"] == 18
    # home, service, provider, notice, the six themes and the agreement template, each into sv
    # and en
    assert first["translation_sources"] == 11 and first["translations"] == 22
    # 3 in the open round, the closed round's, the employee's finished one of last autumn and
    # the two between rounds of the supervision process (times to choose, a declaration due)
    assert first["applications"] == 6 + len(demo_content.CLOSED_ROUND_APPLICATIONS)
    assert first["supervisors"] == 12
    assert first["round_capacities"] == (
        capacities_in("round_capacity") + capacities_in("closed_round_capacity")
    )
    assert capacities_in("closed_round_capacity") >= 1


def test_an_older_demo_database_gets_the_closed_round_too(demo):
    """A database loaded before the closed round existed already has the open round."""
    expected = snapshot()
    round = closed_round()
    Application.objects.filter(round=round).delete()
    round.delete()
    assert ApplicationRound.objects.open().exists()

    call_command("load_demo_data", stdout=io.StringIO())
    assert snapshot() == expected
    round = closed_round()
    assert round.state == RoundState.CLOSED and round.closes_at < timezone.now()
    open_round = ApplicationRound.objects.get(state=RoundState.OPEN)
    assert open_round.name == "Kevät 2027"
    # Every round has its Swedish and English name.
    assert open_round.name_translations == {"sv": "Våren 2027", "en": "Spring 2027"}
    assert all(r.name_translations.keys() == {"sv", "en"} for r in ApplicationRound.objects.all())


def test_three_language_versions_are_live_and_linked(demo, client):
    pages = {
        page.locale.language_code: page
        for page in ServicePage.objects.filter(translation_key=SERVICE_KEY)
    }
    assert set(pages) == {"fi", "sv", "en"}
    assert all(page.live for page in pages.values())
    assert {p.pk for p in pages["fi"].get_translations()} == {pages["sv"].pk, pages["en"].pk}
    expected = {
        "fi": "/fi/tyonohjaus/",
        "sv": "/sv/arbetshandledning/",
        "en": "/en/work-supervision/",
    }
    for code, page in pages.items():
        assert page.url == expected[code]
        response = client.get(page.url)
        assert response.status_code == 200
        assert f"<h1>{demo_content.SERVICE[code]['title']}</h1>" in response.content.decode()
        assert page.provider.locale.language_code == code
        assert page.provider.translation_key == PROVIDER_KEY
        assert page.provider.name == demo_content.PROVIDER[code]["name"]


def test_site_root_is_the_demo_home_page(demo, client):
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific_class.__name__ == "HomePage"
    response = client.get("/en/")
    assert response.status_code == 200
    assert 'href="/en/work-supervision/"' in response.content.decode()


def test_printed_logins_work_and_roles_have_the_right_access(demo, client):
    for username, _first, _last, password, _role in demo_content.USERS:
        assert client.login(username=username, password=password), username
        admin = client.get("/admin/")
        if username == "employee":
            assert admin.status_code == 302  # no admin access
        elif username == "supervisor":
            # Into the admin for their own engagements, and nothing of HR's.
            assert admin.status_code == 200
            assert client.get("/admin/tyonohjaus/engagements/").status_code == 200
            assert client.get("/admin/tyonohjaus/applications/").status_code == 403
        else:
            assert admin.status_code == 200, username
        client.logout()

    User = get_user_model()
    page = ServicePage.objects.get(translation_key=SERVICE_KEY, locale__language_code="sv")
    editor_perms = page.permissions_for_user(User.objects.get(username="editor"))
    assert editor_perms.can_edit() and editor_perms.can_publish()
    for username in ("employee", "hr", "supervisor"):
        assert not page.permissions_for_user(User.objects.get(username=username)).can_edit()


def test_hr_sees_the_feedback_report_and_the_editor_does_not(demo, client):
    assert FeedbackResponse.objects.exists()
    client.login(username="hr", password="hr-demo")
    response = client.get("/admin/tyonohjaus/feedback/")
    assert response.status_code == 200
    assert "<svg" in response.content.decode()
    client.login(username="editor", password="editor-demo")
    assert client.get("/admin/tyonohjaus/feedback/").status_code == 403


def test_employee_can_apply_in_the_demo_open_round(demo, client):
    client.login(username="employee", password="employee-demo")
    page = ServicePage.objects.get(translation_key=SERVICE_KEY, locale__language_code="fi")
    content = client.get(page.url).content.decode()
    assert "Kevät 2027" in content and 'class="tyonohjaus-apply__form"' in content
    response = client.post(
        f"/fi/hr/apply/{page.pk}/",
        {
            "format": "group",
            "co_applicants": "liisa@example.org\nmikko@example.org",
            "languages": ["fi"],
            "situation": "Tiimimme rakenne muuttui.",
            "goals": "Yhteinen toimintatapa.",
            "supervisor_preference": "none",
            "consent": "on",
        },
    )
    assert response.status_code == 303
    mine = Application.objects.filter(applicant__username="employee")
    assert mine.filter(round__state="open").count() == 1


def test_hr_manages_rounds_in_the_demo(demo, client):
    client.login(username="hr", password="hr-demo")
    listing = client.get("/admin/tyonohjaus/rounds/").content.decode()
    assert "Kevät 2027" in listing and "Syksy 2026" in listing


def test_demo_supervisors_cover_languages_formats_and_real_units(demo):
    supervisors = list(Supervisor.objects.select_related("user"))
    internal = [s for s in supervisors if s.kind == SupervisorKind.INTERNAL]
    assert {s.user.username for s in internal} == {"supervisor", "tuula", "johan"}
    assert {code for s in supervisors for code in s.languages} == {"fi", "sv", "en"}
    assert {f for s in supervisors for f in s.formats} == {"individual", "group", "team"}
    profile_units = set(EmployeeProfile.objects.values_list("unit_code", flat=True))
    for supervisor in internal:
        assert supervisor.unit_codes == [supervisor.user.tyonohjaus_profile.unit_code]
    conflict_units = {code for s in supervisors for code in s.conflict_unit_codes}
    assert conflict_units and conflict_units <= profile_units
    for supervisor in supervisors:
        assert supervisor.themes.exists()
        assert supervisor.themes.filter(locale__language_code="fi").count() == (
            supervisor.themes.count()
        )
        assert (supervisor.cost_per_meeting is not None) == supervisor.is_external
    open_round = ApplicationRound.objects.get(state="open")
    sami = Supervisor.objects.get(user__username="supervisor")
    assert sami.capacity_for(open_round) == 3 and sami.default_capacity == 2


def test_supervisor_users_log_in_with_the_printed_password(demo, client):
    for username, *_rest in demo_content.SUPERVISOR_USERS:
        assert client.login(username=username, password=demo_content.SUPERVISOR_PASSWORD)
        client.logout()


def test_hr_has_all_plugin_permissions_and_the_assistant_no_free_text(demo, client):
    def codenames(name):
        return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))

    hr = codenames(HR_GROUP)
    assert set(REGISTERED_CODENAMES) <= hr
    assert {
        "run_matching",
        "view_application",
        "change_application",
        "view_confidential_application",
        "change_application_status",
        "export_applications",
        "add_supervisor",
        "change_supervisor",
        "delete_supervisor",
        "view_supervisor",
    } <= hr
    assistant = codenames(HR_ASSISTANT_GROUP)
    assert assistant == {
        "access_admin",
        "view_application",
        "change_application",
        "change_application_status",
        "view_supervisor",
        "view_applicationround",
        "view_theme",
    }
    User = get_user_model()
    helper = User.objects.get(username="hrassistant")
    assert list(helper.groups.values_list("name", flat=True)) == [HR_ASSISTANT_GROUP]
    assert not helper.has_perm("tyonohjaus_plugin.view_confidential_application")
    assert not helper.has_perm("tyonohjaus_plugin.export_applications")

    client.login(username="hrassistant", password="hrassistant-demo")
    listing = client.get("/admin/tyonohjaus/supervisors/")
    assert listing.status_code == 200 and "Marja Kallio" in listing.content.decode()
    marja = Supervisor.objects.get(email="marja.kallio@ohjausverkko.example")
    assert client.get(f"/admin/tyonohjaus/supervisors/edit/{marja.pk}/").status_code == 302

    client.login(username="hr", password="hr-demo")
    assert client.get(f"/admin/tyonohjaus/supervisors/edit/{marja.pk}/").status_code == 200


def test_the_closed_round_waits_for_matching(demo):
    round = closed_round()
    now = timezone.now()
    assert round.state == RoundState.CLOSED
    assert round.opens_at < round.closes_at < now - datetime.timedelta(days=2)
    assert not round.accepts_at(now)
    assert now.date() < round.programme_starts_on < round.programme_ends_on

    applications = list(matchable_applications(round).select_related("applicant"))
    assert len(applications) >= 30
    assert len(applications) == Application.objects.filter(round=round).count()
    assert {a.status for a in applications} == {"submitted", "in_review"}
    # Submitted inside the application period, in the order of CLOSED_ROUND_APPLICATIONS.
    assert all(round.opens_at <= a.submitted_at < round.closes_at for a in applications)
    assert [a.applicant.username for a in applications] == [
        spec[0] for spec in demo_content.CLOSED_ROUND_APPLICATIONS
    ]
    formats = Counter(a.format for a in applications)
    assert formats["individual"] > len(applications) / 2
    assert formats["group"] >= 3 and formats["team"] >= 1
    languages = Counter(code for a in applications for code in a.languages)
    assert languages["fi"] > languages["sv"] >= 1 and languages["en"] >= 1
    assert all(1 <= a.themes.count() <= 3 for a in applications)
    preferred = Counter(
        EmployeeProfile.objects.filter(
            user__username__in=[username for username, *_rest in demo_content.ROUND_COLLEAGUES]
        ).values_list("preferred_language", flat=True)
    )
    assert set(preferred) == {"fi", "sv", "en"}
    assert sum(preferred.values()) == len(demo_content.ROUND_COLLEAGUES)


def test_matching_the_closed_round_shows_every_kind_of_outcome(demo):
    round = closed_round()
    problem = build_problem(round)
    result = solve(problem)
    assert result.matched >= 20
    assert len(result.unmatched) >= 2
    # Fewer places than applications: some wait because every suitable supervisor is full ...
    assert sum(s.capacity for s in problem.supervisors) < len(problem.applications)
    codes = Counter(code for code, _params in result.unmatched.values())
    assert codes["all_full"] >= 1
    # ... and some for a reason of their own (see CLOSED_ROUND_APPLICATIONS).
    assert set(codes) - {"all_full"}
    keys = {
        a.applicant.username: application_key(a.pk)
        for a in Application.objects.filter(round=round).select_related("applicant")
    }
    for username in ("karin", "grace"):
        assert result.unmatched[keys[username]][0] != "all_full", username

    # marko is Antti Salonen's conflict user: the pair is excluded, whatever the engine's name.
    antti = supervisor_key(Supervisor.objects.get(email="antti.salonen@mentorit.example").pk)
    excluded = problem.forbids | getattr(problem, "conflicts", frozenset())
    assert (keys["marko"], antti) in excluded
    assert (keys["marko"], antti) not in result.assignment

    # Some applications name themes that only a few supervisors cover.
    covering = Counter(theme for s in problem.supervisors for theme in set(s.themes))
    rare = {theme for theme, count in covering.items() if count <= 3}
    assert rare and any(set(a.themes) & rare for a in problem.applications)


def test_demo_hr_runs_matching_on_the_closed_round_from_the_board(demo, client):
    round = closed_round()
    client.login(username="hr", password="hr-demo")
    assert CLOSED_ROUND_NAME in client.get(reverse("tyonohjaus_matching:index")).text
    assert client.get(reverse("tyonohjaus_matching:round", args=[round.pk])).status_code == 200
    assert client.post(reverse("tyonohjaus_matching:start", args=[round.pk])).status_code == 302
    run = MatchRun.objects.get(round=round)
    run_matching_task(run.pk)  # the test queue runs tasks only after a real commit
    run.refresh_from_db()
    assert run.state == "done" and run.summary["matched"] >= 20
    assert MatchUnmatched.objects.filter(run=run).count() >= 2


def test_co_applicants_in_the_closed_round_confirmed(demo):
    round = closed_round()
    wanted = {
        spec[0]: set(spec[2])
        for spec in demo_content.CLOSED_ROUND_APPLICATIONS
        if spec[1] in ("group", "team")
    }
    groups = Application.objects.filter(round=round, format__in=["group", "team"])
    assert groups.count() == len(wanted) >= 4
    for application in groups.select_related("applicant"):
        participants = list(application.participants.select_related("user"))
        co_applicants = {
            p.user.username for p in participants if p.role == ParticipantRole.CO_APPLICANT
        }
        assert co_applicants == wanted[application.applicant.username]
        assert 2 <= len(participants) <= 4 or application.format == "team"
        assert all(p.status == ParticipantStatus.CONFIRMED and p.holds_place for p in participants)
        # Confirmed through the invitation flow, which records an event for each.
        assert application.events.filter(kind="co_applicant_confirmed").count() == len(
            co_applicants
        )


def test_the_open_round_still_accepts_applications(demo):
    open_round = ApplicationRound.objects.for_service(SERVICE_KEY).open().get()
    assert open_round.name == "Kevät 2027"
    assert open_round.accepts_at(timezone.now())
    # Someone who applied in the closed round can apply again in the open one.
    application = SubmitApplicationAction(
        user=get_user_model().objects.get(username="anneli"),
        service_key=SERVICE_KEY,
        round=open_round,
        data=ApplicationData(format="individual", languages=["fi"], situation="x", goals="y"),
        notice=PrivacyNotice.objects.get(locale__language_code="fi"),
    ).execute()
    assert application.round == open_round


def test_every_demo_application_has_free_text_of_its_own(demo):
    applications = list(Application.objects.all())
    assert len(applications) == 6 + len(demo_content.CLOSED_ROUND_APPLICATIONS)
    for application in applications:
        assert application.situation.strip() and application.goals.strip(), application.pk
    closed = [a for a in applications if a.round and a.round.name == CLOSED_ROUND_NAME]
    assert len({a.situation for a in closed}) == len(closed)
    assert len({a.goals for a in closed}) == len(closed)


def test_the_employee_gets_the_end_evaluation_of_last_autumn(demo):
    from django.core import mail

    from tyonohjaus_plugin.models import Engagement
    from tyonohjaus_plugin.tasks import send_reminders_task

    engagement = Engagement.objects.get(
        application__applicant__username="employee", state="completed"
    )
    assert engagement.state == "completed"
    assert set(engagement.meetings.values_list("state", flat=True)) == {"held"}
    mail.outbox.clear()
    send_reminders_task()
    evaluation = [m for m in mail.outbox if "/evaluations/" in m.body]
    assert len(evaluation) == 1 and "employee@example.org" in evaluation[0].to[0]
