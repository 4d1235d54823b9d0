"""Feedback in Wagtail admin: reports, chart, exports, edit-screen panel, permissions."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.utils.html import escape
from wagtail.models import GroupPagePermission

from tyonohjaus_plugin.feedback.viewsets import FeedbackViewSet
from tyonohjaus_plugin.models import FeedbackResponse

SUMMARY = "/admin/tyonohjaus/feedback/"
RESULTS = "/admin/tyonohjaus/feedback/results/"
RESPONSES = "/admin/tyonohjaus/feedback/comments/"
ALL_URLS = [
    SUMMARY,
    RESULTS,
    RESPONSES,
    SUMMARY + "?export=csv",
    SUMMARY + "?export=xlsx",
    RESPONSES + "?export=csv",
    RESPONSES + "?export=xlsx",
]

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '"><script>alert(2)</script>',
    "<img src=x onerror=alert(3)>",
    "<svg onload=alert(4)>",
    "<iframe src=javascript:alert(5)>",
    "<a href=javascript:alert(6)>x</a>",
    "<body onload=alert(7)>",
    "'><svg/onload=alert(8)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(9)>",
    "<details open ontoggle=alert(10)>",
    "<input autofocus onfocus=alert(11)>",
    "<video><source onerror=alert(12)>",
    "<object data=javascript:alert(13)>",
    "<embed src=javascript:alert(14)>",
    "<marquee onstart=alert(15)>",
    "</textarea><script>alert(16)</script>",
    "</title><script>alert(17)</script>",
    "<style>@import 'javascript:alert(18)'</style>",
    "{{ 7*7 }}<b onmouseover=alert(19)>",
    "<div style=background:url(javascript:alert(20))>",
    "<select onfocus=alert(21) autofocus>",
    "<!--<img src=--><img src=x onerror=alert(22)//-->",
]
FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(1,1)", "\tTAB", "\rCR", "|pipe", "%pct"]


def respond(page, found, comment="", day=None):
    return FeedbackResponse.objects.create(
        page=page,
        locale=page.locale,
        found_information=found,
        comment=comment,
        created_on=day or datetime.date(2026, 10, 5),
    )


@pytest.fixture
def hr_user(django_user_model):
    user = django_user_model.objects.create_user("hr", password="pw")
    group = Group.objects.create(name="Test HR")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_feedbackresponse"),
    )
    user.groups.add(group)
    return user


@pytest.fixture
def editor_user(django_user_model, homes):
    """Can edit and publish every service page, but has no feedback permission."""
    user = django_user_model.objects.create_user("editor", password="pw")
    group = Group.objects.create(name="Test editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for home in homes.values():
        for codename in ("add_page", "change_page", "publish_page"):
            GroupPagePermission.objects.create(
                group=group, page=home, permission=Permission.objects.get(codename=codename)
            )
    user.groups.add(group)
    return user


@pytest.fixture
def hr_client(client, hr_user):
    client.force_login(hr_user)
    return client


@pytest.fixture
def answers(service_pages):
    fi, sv = service_pages["fi"], service_pages["sv"]
    respond(fi, True, day=datetime.date(2026, 9, 1))
    respond(fi, True, day=datetime.date(2026, 9, 2))
    respond(fi, False, "Hinnat puuttuivat", day=datetime.date(2026, 9, 20))
    respond(sv, False, "Saknade kontaktuppgifter", day=datetime.date(2026, 10, 1))
    return service_pages


def read_csv(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))


def read_xlsx(response):
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return openpyxl.load_workbook(io.BytesIO(data)).active


@pytest.mark.django_db
def test_summary_shows_counts_per_page_and_language_with_chart(hr_client, answers):
    response = hr_client.get(SUMMARY)
    assert response.status_code == 200
    rows = list(response.context["object_list"])
    by_language = {row["language"]: row for row in rows}
    assert by_language["fi"]["responses"] == 3
    assert by_language["fi"]["yes"] == 2
    assert by_language["fi"]["comments"] == 1
    assert by_language["fi"]["yes_share"] == pytest.approx(66.7)
    assert by_language["sv"]["responses"] == 1 and by_language["sv"]["yes"] == 0
    content = response.content.decode()
    assert "<svg" in content and 'role="img"' in content
    # One bar per week from the first to the last answer (1 Sep – 1 Oct: 5 weeks).
    assert content.count("data-responses=") == 5
    assert 'data-responses="2" data-yes="2"' in content


@pytest.mark.django_db
def test_date_range_and_language_filters(hr_client, answers):
    response = hr_client.get(
        SUMMARY, {"created_on_from": "2026-09-10", "created_on_to": "2026-12-31"}
    )
    rows = {row["language"]: row["responses"] for row in response.context["object_list"]}
    assert rows == {"fi": 1, "sv": 1}
    locale_id = answers["sv"].locale_id
    response = hr_client.get(RESPONSES, {"locale": locale_id})
    comments = [item.comment for item in response.context["object_list"]]
    assert comments == ["Saknade kontaktuppgifter"]


@pytest.mark.django_db
def test_page_filter_covers_every_language_of_a_service(hr_client, answers, homes):
    from tests.utils import make_service_page

    other = make_service_page(homes["fi"], title="Mentorointi", slug="mentorointi")
    respond(other, True)
    key = str(answers["fi"].translation_key)
    response = hr_client.get(SUMMARY, {"page": key})
    assert sum(row["responses"] for row in response.context["object_list"]) == 4
    assert "Mentorointi" in hr_client.get(SUMMARY).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ALL_URLS)
def test_editor_without_feedback_permission_gets_403(client, editor_user, answers, url):
    assert answers["fi"].permissions_for_user(editor_user).can_edit()
    client.force_login(editor_user)
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, answers):
    response = client.get(SUMMARY)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_menu_item_only_for_feedback_viewers(rf, hr_user, editor_user):
    item = FeedbackViewSet.menu_item_class("Feedback", SUMMARY)
    request = rf.get("/admin/")
    request.user = hr_user
    assert item.is_shown(request)
    request.user = editor_user
    assert not item.is_shown(request)


@pytest.mark.django_db
def test_summary_export_keeps_numbers_numeric(hr_client, answers):
    sheet = read_xlsx(hr_client.get(SUMMARY + "?export=xlsx"))
    header = [cell.value for cell in sheet[1]]
    # Headings in the admin language (Finnish, the site default).
    assert header[:5] == ["Sivu", "Kieli", "Vastaukset", "Kyllä", "Kyllä-osuus (%)"]
    fi_row = next(row for row in sheet.iter_rows(min_row=2, values_only=True) if row[1] == "fi")
    assert fi_row[2] == 3 and isinstance(fi_row[2], int)
    assert fi_row[4] == pytest.approx(66.7)
    rows = read_csv(hr_client.get(SUMMARY + "?export=csv"))
    assert rows[0][2] == "Vastaukset"
    assert {row[1]: row[2] for row in rows[1:]} == {"fi": "3", "sv": "1"}


@pytest.mark.django_db
def test_exports_neutralise_formulas(hr_client, service_pages):
    for text in FORMULAS:
        respond(service_pages["fi"], False, text)

    csv_comments = [row[4] for row in read_csv(hr_client.get(RESPONSES + "?export=csv"))[1:]]
    assert sorted(csv_comments) == sorted("'" + text for text in FORMULAS)

    sheet = read_xlsx(hr_client.get(RESPONSES + "?export=xlsx"))
    cells = [row[4] for row in sheet.iter_rows(min_row=2)]
    assert len(cells) == len(FORMULAS)
    assert all(cell.data_type == "s" for cell in cells)  # 0 formula cells
    # The XML of an XLSX file stores a carriage return as a newline.
    expected = sorted("'" + text.replace("\r", "\n") for text in FORMULAS)
    assert sorted(cell.value for cell in cells) == expected


@pytest.mark.django_db
def test_xss_payloads_are_escaped_in_report_panel_and_exports(
    client, hr_user, answers, django_user_model
):
    page = answers["fi"]
    for payload in XSS_PAYLOADS:
        respond(page, False, payload)
    assert len(XSS_PAYLOADS) >= 20

    client.force_login(hr_user)
    report = client.get(RESPONSES + "?p=1").content.decode()
    report += client.get(RESPONSES + "?p=2").content.decode()
    admin = django_user_model.objects.create_superuser("boss", "b@example.org", "pw")
    client.force_login(admin)
    panel = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    for payload in XSS_PAYLOADS:
        assert payload not in report
        assert escape(payload) in report
        assert payload not in panel
    # The panel shows the latest five comments, escaped.
    assert escape(XSS_PAYLOADS[-1]) in panel

    rows = read_csv(client.get(RESPONSES + "?export=csv"))
    exported = {row[4] for row in rows[1:]}
    assert set(XSS_PAYLOADS) <= exported  # plain text in a CSV, never markup


@pytest.mark.django_db
def test_edit_screen_panel_shows_totals_only_to_feedback_viewers(
    client, answers, editor_user, hr_user
):
    page = answers["fi"]
    client.force_login(editor_user)
    editor_view = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "tyonohjaus-feedback-panel" not in editor_view

    editor_user.groups.first().permissions.add(
        Permission.objects.get(codename="view_feedbackresponse")
    )
    client.force_login(editor_user)
    content = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "tyonohjaus-feedback-panel" in content
    assert "3 vastausta, 67 % löysi tarvitsemansa" in content  # this language
    assert "4 vastausta, 50 % löysi tarvitsemansa" in content  # all languages
    assert "Hinnat puuttuivat" in content
    assert f"?page={page.translation_key}" in content
