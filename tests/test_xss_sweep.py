"""Stored-XSS sweep: hostile text in every applicant-, editor- and HR-entered string is escaped
wherever it is shown (admin listing, detail, history, dashboard, bulk screens, audit report,
employee pages, e-mails) and neutralised in exports."""

import csv
import io

import openpyxl
import pytest
from django.core import mail
from django.test import Client

from tests.factories import (
    ApplicationRoundFactory,
    PrivacyNoticeFactory,
    SupervisorFactory,
    UserFactory,
)
from tyonohjaus_plugin.core.exports import FORMULA_TRIGGERS
from tyonohjaus_plugin.models import Application, EmployeeProfile, Theme

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    '<a href="javascript:alert(1)">x</a>',
    "<style>*{display:none}</style>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)",
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    '<object data="javascript:alert(1)"></object>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "<!--<img src=x onerror=alert(1)>-->",
    '=HYPERLINK("https://evil.example/","<b>click</b>")',
    "@SUM(1,1)<i>x</i>",
    "+1+1<br>",
    "-2+3<hr>",
]
MARKUP = set("<>\"'")


def short(payload, limit):
    return payload[:limit]


@pytest.fixture
def hr(db):
    user = UserFactory(username="hr", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(user)
    return client


def seed(payload, service_pages, locales, django_capture_on_commit_callbacks):
    """An application submitted through the real form with ``payload`` in every string."""
    page = service_pages["fi"]
    page.applications_enabled = True
    page.save_revision().publish()
    PrivacyNoticeFactory(locale=locales["fi"])
    ApplicationRoundFactory(service_key=page.translation_key, name=short(payload, 100))
    theme = Theme.objects.create(name=short(payload, 100), locale=locales["fi"])
    applicant = UserFactory(first_name=short(payload, 150), last_name=short(payload, 150))
    member = UserFactory(first_name=short(payload, 150), last_name="Kolleega")
    for user in (applicant, member):
        EmployeeProfile.objects.create(user=user, unit_code="U1", unit_name=short(payload, 200))
    client = Client()
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/fi/hr/apply/{page.pk}/",
            {
                "format": "group",
                "languages": ["fi"],
                "themes": [str(theme.translation_key)],  # forms submit translation keys
                "situation": payload,
                "goals": payload,
                "availability": payload,
                "supervisor_preference": "none",
                "supervisor_wishes": payload,
                "co_applicants": member.email,
                "consent": "on",
            },
        )
    assert response.status_code == 303, response.content.decode()[:2000]
    application = Application.objects.get()
    application.hr_note = payload
    application.save()
    return application, client


def assert_escaped(payload, content, where):
    if MARKUP & set(payload):
        assert payload not in content, f"unescaped in {where}"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_escaped_everywhere(
    payload, hr, service_pages, locales, django_capture_on_commit_callbacks, settings
):
    # Straight from the confirm to the proposed first times (the declaration is tested apart).
    settings.TYONOHJAUS_PLUGIN = {**settings.TYONOHJAUS_PLUGIN, "CONFLICT_DECLARATION": False}
    application, applicant_client = seed(
        payload, service_pages, locales, django_capture_on_commit_callbacks
    )
    base = "/admin/tyonohjaus/applications/"
    hr.post(f"{base}{application.pk}/status/", {"status": "in_review"})
    pages = {
        "listing": f"{base}",
        "listing results": f"{base}results/?q=a",
        "detail": f"{base}inspect/{application.pk}/",
        "note editor": f"{base}edit/{application.pk}/",
        "history": f"{base}history/{application.pk}/",
        "dashboard": "/admin/",
        "bulk": f"/admin/bulk/tyonohjaus_plugin/application/change_status/?id={application.pk}",
        "audit report": "/admin/reports/site-history/",
        "rounds": "/admin/tyonohjaus/rounds/",
    }
    for where, url in pages.items():
        response = hr.get(url)
        assert response.status_code == 200, where
        content = response.content.decode()
        assert_escaped(payload, content, where)
    detail = hr.get(f"{base}inspect/{application.pk}/").content.decode()
    assert "&lt;" in detail or "&quot;" in detail or "&#x27;" in detail  # it was shown, escaped

    # Matching and the engagement: a supervisor with the payload as name, the proposal, the
    # confirm, the invitations.
    from tyonohjaus_plugin.models import Engagement, MatchRun

    SupervisorFactory(
        name=short(payload, 100), email="s@example.org", organisation=short(payload, 100),
        formats=["group"],
    )  # fmt: skip
    round_id = application.round_id
    with django_capture_on_commit_callbacks(execute=True):
        hr.post(f"/admin/tyonohjaus/matching/rounds/{round_id}/start/")
    run = MatchRun.objects.get()
    assert run.state == "done" and run.summary["matched"] == 1
    matching = {
        "matching index": "/admin/tyonohjaus/matching/",
        "board": f"/admin/tyonohjaus/matching/rounds/{round_id}/",
        "board by supervisor": f"/admin/tyonohjaus/matching/rounds/{round_id}/?view=supervisors",
        "chooser": f"/admin/tyonohjaus/matching/rounds/{round_id}/applications/{application.pk}/",
    }
    for where, url in matching.items():
        response = hr.get(url)
        assert response.status_code == 200, where
        assert_escaped(payload, response.content.decode(), where)
    with django_capture_on_commit_callbacks(execute=True):
        hr.post(f"/admin/tyonohjaus/matching/runs/{run.pk}/confirm/")
    engagement = Engagement.objects.get()
    for where, url in {
        "engagements": "/admin/tyonohjaus/engagements/",
        "engagement": f"/admin/tyonohjaus/engagements/{engagement.pk}/",
        "outbox": "/admin/tyonohjaus/outbox/",
        "home with meetings": "/admin/",
    }.items():
        response = hr.get(url)
        assert response.status_code == 200, where
        assert_escaped(payload, response.content.decode(), where)

    for where, url in {
        "my applications": "/fi/hr/my-applications/",
        "my supervision": "/fi/hr/my-supervision/",
        "supervision page": f"/fi/hr/my-supervision/{engagement.pk}/",
    }.items():
        response = applicant_client.get(url)
        assert response.status_code == 200, where
        assert_escaped(payload, response.content.decode(), where)
    # HR sets the first time: the series is planned and the invitations go.
    with django_capture_on_commit_callbacks(execute=True):
        response = hr.post(
            f"/admin/tyonohjaus/engagements/{engagement.pk}/first-time/", {"decide-number": "1"}
        )
    assert response.status_code == 302

    assert len(mail.outbox) >= 2
    assert any(".ics" in name for m in mail.outbox for name, *_ in m.attachments)
    for message in mail.outbox:
        html = message.alternatives[0][0]
        assert_escaped(payload, html, f"e-mail {message.subject!r}")
        assert "\n" not in message.subject

    csv_body = b"".join(hr.get(f"{base}?export=csv").streaming_content).decode()
    xlsx_body = b"".join(hr.get(f"{base}?export=xlsx").streaming_content)
    xlsx = openpyxl.load_workbook(io.BytesIO(xlsx_body)).active
    cells = [cell for row in xlsx.iter_rows() for cell in row]
    assert not [cell for cell in cells if cell.data_type == "f"]
    texts = [cell for row in csv.reader(io.StringIO(csv_body)) for cell in row]
    texts += [cell.value for cell in cells if isinstance(cell.value, str)]
    assert texts
    assert not [text for text in texts if text.startswith(FORMULA_TRIGGERS)]
    if payload.startswith(FORMULA_TRIGGERS):
        assert "'" + payload in texts
