"""The public feedback prompt: anonymous storage, both paths, refusals and bounds."""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client, override_settings
from wagtail.models import PageViewRestriction

from tyonohjaus_plugin.feedback.prompt import COOKIE_NAME
from tyonohjaus_plugin.models import FeedbackResponse
from tyonohjaus_plugin.models.feedback import COMMENT_MAX_LENGTH

JSON = {"HTTP_ACCEPT": "application/json"}
DOCUMENTED_FIELDS = {"id", "page", "locale", "found_information", "comment", "created_on"}


def feedback_url(page):
    return f"/{page.locale.language_code}/hr/feedback/{page.pk}/"


@pytest.fixture
def fi_page(service_pages):
    return service_pages["fi"]


def test_stored_row_has_exactly_the_documented_fields():
    fields = {field.name for field in FeedbackResponse._meta.get_fields()}
    assert fields == DOCUMENTED_FIELDS


@pytest.mark.django_db
def test_no_js_yes_stores_one_anonymous_row_and_redirects_back(client, fi_page):
    response = client.post(feedback_url(fi_page), {"answer": "yes", "comment": ""})

    assert response.status_code == 303
    assert response["Location"] == "/fi/tyonohjaus/#tyonohjaus-feedback"
    row = FeedbackResponse.objects.get()
    assert (row.page_id, row.locale_id, row.found_information, row.comment) == (
        fi_page.pk,
        fi_page.locale_id,
        True,
        "",
    )
    # Nothing that identifies the visitor: no session was created either.
    assert "sessionid" not in response.cookies
    assert response.cookies[COOKIE_NAME]["httponly"]
    assert not response.cookies[COOKIE_NAME]["max-age"]  # ends with the browser session


@pytest.mark.django_db
def test_no_js_no_with_comment_then_page_shows_thanks(client, fi_page):
    response = client.post(
        feedback_url(fi_page), {"answer": "no", "comment": "Hinnat puuttuivat."}, follow=True
    )
    row = FeedbackResponse.objects.get()
    assert row.found_information is False
    assert row.comment == "Hinnat puuttuivat."
    content = response.content.decode()
    assert "Kiitos palautteestasi!" in content
    assert "data-tyonohjaus-feedback-form" not in content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "thanks"),
    [
        ("fi", "Kiitos palautteestasi!"),
        ("sv", "Tack för din respons!"),
        ("en", "Thank you for your feedback!"),
    ],
)
def test_js_post_stores_one_row_and_answers_json(client, service_pages, language, thanks):
    page = service_pages[language]
    response = client.post(feedback_url(page), {"answer": "no", "comment": "x"}, **JSON)
    assert response.status_code == 200
    assert response.json() == {"message": thanks}
    row = FeedbackResponse.objects.get()
    assert row.locale.language_code == language
    assert row.page_id == page.pk


@pytest.mark.django_db
def test_page_texts_are_editable_per_page(client, fi_page):
    fi_page.feedback_question = "Löysitkö etsimäsi?"
    fi_page.feedback_thanks = "Kiitos, luemme jokaisen vastauksen."
    fi_page.save_revision().publish()
    assert "Löysitkö etsimäsi?" in client.get(fi_page.url).content.decode()
    response = client.post(feedback_url(fi_page), {"answer": "yes"}, **JSON)
    assert response.json()["message"] == "Kiitos, luemme jokaisen vastauksen."


@pytest.mark.django_db
def test_one_vote_per_page_per_browser_session(client, service_pages):
    client.post(feedback_url(service_pages["fi"]), {"answer": "yes"})
    again = client.post(feedback_url(service_pages["fi"]), {"answer": "no"}, **JSON)
    other_language = client.post(feedback_url(service_pages["sv"]), {"answer": "no"}, **JSON)
    assert again.status_code == other_language.status_code == 200
    assert FeedbackResponse.objects.count() == 1
    # Another browser session counts again.
    Client().post(feedback_url(service_pages["fi"]), {"answer": "no"})
    assert FeedbackResponse.objects.count() == 2


@pytest.mark.django_db
def test_csrf_is_enforced(fi_page):
    csrf_client = Client(enforce_csrf_checks=True)
    assert csrf_client.post(feedback_url(fi_page), {"answer": "yes"}).status_code == 403
    assert csrf_client.post(feedback_url(fi_page), {"answer": "yes"}, **JSON).status_code == 403
    assert FeedbackResponse.objects.count() == 0


@pytest.mark.django_db
def test_csrf_token_from_the_page_is_accepted(fi_page):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.get(fi_page.url)
    token = csrf_client.cookies["csrftoken"].value
    response = csrf_client.post(
        feedback_url(fi_page), {"answer": "yes", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 303
    assert FeedbackResponse.objects.count() == 1


@pytest.mark.django_db
def test_rate_limit_answers_429_with_translated_message(fi_page):
    for _ in range(5):
        assert Client().post(feedback_url(fi_page), {"answer": "yes"}).status_code == 303
    blocked_json = Client().post(feedback_url(fi_page), {"answer": "yes"}, **JSON)
    blocked_html = Client().post(feedback_url(fi_page), {"answer": "yes"})
    assert blocked_json.status_code == blocked_html.status_code == 429
    assert "Liian monta vastausta" in blocked_json.json()["message"]
    assert "Liian monta vastausta" in blocked_html.content.decode()
    assert FeedbackResponse.objects.count() == 5
    # Another address is not affected.
    other = Client(REMOTE_ADDR="10.9.8.7").post(feedback_url(fi_page), {"answer": "no"})
    assert other.status_code == 303


@pytest.mark.django_db
def test_rate_limit_fails_open_when_the_cache_is_down(fi_page):
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    }
    # The JSON path needs nothing else from the cache (Wagtail's own URL building does).
    with override_settings(CACHES=unreachable):
        response = Client().post(feedback_url(fi_page), {"answer": "no", "comment": "ok"}, **JSON)
    assert response.status_code == 200
    assert FeedbackResponse.objects.count() == 1


@pytest.mark.django_db
def test_honeypot_stores_nothing_but_answers_normally(client, fi_page):
    response = client.post(feedback_url(fi_page), {"answer": "yes", "website": "http://spam"})
    assert response.status_code == 303
    assert response["Location"].endswith("#tyonohjaus-feedback")
    json_response = Client().post(feedback_url(fi_page), {"answer": "yes", "website": "x"}, **JSON)
    assert json_response.json() == {"message": "Kiitos palautteestasi!"}
    assert FeedbackResponse.objects.count() == 0


@pytest.mark.django_db
def test_over_long_comment_gives_translated_error_and_keeps_the_text(client, fi_page):
    comment = "ä" * (COMMENT_MAX_LENGTH + 1)
    response = client.post(feedback_url(fi_page), {"answer": "no", "comment": comment})
    assert response.status_code == 400
    content = response.content.decode()
    assert "enintään 1000 merkkiä" in content  # Django's Finnish message
    assert f">{comment}</textarea>" in content
    assert 'aria-invalid="true"' in content
    assert "tyonohjaus-feedback-comment-error" in content
    assert FeedbackResponse.objects.count() == 0

    as_json = client.post(feedback_url(fi_page), {"answer": "no", "comment": comment}, **JSON)
    assert as_json.status_code == 400
    assert "comment" in as_json.json()["errors"]
    assert FeedbackResponse.objects.count() == 0


@pytest.mark.django_db
def test_missing_answer_is_a_field_error(client, service_pages):
    response = client.post(feedback_url(service_pages["sv"]), {"comment": "hej"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Välj ja eller nej." in content
    assert ">hej</textarea>" in content
    assert FeedbackResponse.objects.count() == 0


@pytest.mark.django_db
def test_tampered_answer_value_is_refused(client, fi_page):
    response = client.post(feedback_url(fi_page), {"answer": "maybe"}, **JSON)
    assert response.status_code == 400
    assert FeedbackResponse.objects.count() == 0


@pytest.mark.django_db
def test_comment_length_is_a_database_constraint(fi_page):
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedbackResponse.objects.create(
            page=fi_page,
            locale=fi_page.locale,
            found_information=False,
            comment="x" * (COMMENT_MAX_LENGTH + 1),
        )


@pytest.mark.django_db
def test_feedback_post_makes_at_most_three_queries(client, fi_page, django_assert_max_num_queries):
    client.get(fi_page.url)  # warm Wagtail's site-root-paths cache
    with django_assert_max_num_queries(3):
        response = Client().post(feedback_url(fi_page), {"answer": "no", "comment": "x"})
    assert response.status_code == 303
    with django_assert_max_num_queries(3):
        response = Client().post(feedback_url(fi_page), {"answer": "yes"}, **JSON)
    assert response.status_code == 200
    assert FeedbackResponse.objects.count() == 2


@pytest.mark.django_db
def test_page_get_stays_within_the_bound_with_the_prompt(
    client, fi_page, django_assert_max_num_queries
):
    client.get(fi_page.url)
    with django_assert_max_num_queries(8):
        content = client.get(fi_page.url).content.decode()
    assert "data-tyonohjaus-feedback-form" in content


@pytest.mark.django_db
def test_prompt_can_be_switched_off_per_page(client, fi_page):
    fi_page.feedback_enabled = False
    fi_page.save_revision().publish()
    assert "data-tyonohjaus-feedback" not in client.get(fi_page.url).content.decode()
    assert client.post(feedback_url(fi_page), {"answer": "yes"}).status_code == 404
    assert FeedbackResponse.objects.count() == 0


@pytest.mark.django_db
def test_refusals(client, fi_page, homes):
    assert client.post("/fi/hr/feedback/999999/", {"answer": "yes"}).status_code == 404
    home_id = homes["fi"].pk  # a page that is not a service page
    assert client.post(f"/fi/hr/feedback/{home_id}/", {"answer": "yes"}).status_code == 404
    assert client.get(feedback_url(fi_page)).status_code == 405
    fi_page.unpublish()
    assert client.post(feedback_url(fi_page), {"answer": "yes"}).status_code == 404
    assert FeedbackResponse.objects.count() == 0


@pytest.mark.django_db
def test_private_page_refuses_anonymous_feedback(client, fi_page, django_user_model):
    PageViewRestriction.objects.create(page=fi_page, restriction_type=PageViewRestriction.LOGIN)
    assert client.post(feedback_url(fi_page), {"answer": "yes"}).status_code == 404
    django_user_model.objects.create_user("reader", password="pw")
    client.login(username="reader", password="pw")
    assert client.post(feedback_url(fi_page), {"answer": "yes"}).status_code == 303
    assert FeedbackResponse.objects.count() == 1


@pytest.mark.django_db
def test_prompt_markup_without_javascript(client, fi_page):
    content = client.get(fi_page.url).content.decode()
    assert 'action="/fi/hr/feedback/' in content
    assert "csrfmiddlewaretoken" in content
    assert "Löysitkö tarvitsemasi tiedot?" in content
    # The comment, the personal-data note and the contact are in the markup without JavaScript.
    assert "Älä kirjoita nimiä" in content
    assert 'href="mailto:hr@example.org"' in content
    assert 'maxlength="1000"' in content
    # Honeypot is hidden from people and assistive technology.
    assert '<div class="tyonohjaus-hp" aria-hidden="true">' in content
    assert 'tabindex="-1" autocomplete="off"' in content
