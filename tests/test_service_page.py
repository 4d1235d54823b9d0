import re

import pytest
from django.test import override_settings
from django.utils import translation
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from tests.utils import PUBLISHED_AT, UPDATED_AT, set_dates

# The same two dates in each language's DATE_FORMAT (Django's own locale formats).
EXPECTED_DATES = {
    "fi": ("2. maaliskuuta 2026", "14. lokakuuta 2026"),
    "sv": ("2 mars 2026", "14 oktober 2026"),
    "en": ("March 2, 2026", "Oct. 14, 2026"),
}
PROVIDER_NAMES = {"fi": "Henkilöstöpalvelut", "sv": "Personaltjänster", "en": "HR Services"}
URL_COPIED = {"fi": "URL kopioitu", "sv": "URL kopierad", "en": "URL copied"}
OFFERED_BY = {
    "fi": "Palvelun tarjoaa",
    "sv": "Tjänsten erbjuds av",
    "en": "This service is offered by",
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_page_renders_in_each_language_for_anonymous_visitor(client, service_pages, language):
    page = service_pages[language]
    response = client.get(page.url)

    assert response.status_code == 200
    assert page.url.startswith(f"/{language}/")
    content = response.content.decode()
    assert f'<html lang="{language}">' in content
    assertInHTML(f"<h1>{page.title}</h1>", content)
    assertInHTML(f'<p class="tyonohjaus-service__lead">{page.lead}</p>', content)
    # Body blocks: heading, rich text, bullet list, notice, facts, external link.
    assertInHTML('<h2 class="tyonohjaus-heading">Mihin työnohjaus auttaa?</h2>', content)
    assertInHTML("<p>Ratkaisukeskeistä <b>keskustelua</b>.</p>", content)
    assertInHTML("<li>jaksaminen</li>", content)
    assert "tyonohjaus-notice--important" in content
    assertInHTML(
        '<div class="tyonohjaus-facts__item"><dt>Ryhmäkoko</dt><dd>2–4</dd></div>', content
    )
    assert 'href="https://example.org/etiikka" rel="external noopener"' in content
    # Provider in the page's language.
    assert OFFERED_BY[language] in content
    assertInHTML(f"<strong>{PROVIDER_NAMES[language]}</strong>", content)
    # Dates in the language's format, with machine-readable values.
    published, updated = EXPECTED_DATES[language]
    assert f'datetime="{PUBLISHED_AT.isoformat()}">{published}</time>' in content
    assert f'datetime="{UPDATED_AT.isoformat()}">{updated}</time>' in content


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_share_control_without_javascript_shows_selectable_canonical_url(
    client, service_pages, language
):
    page = service_pages[language]
    content = client.get(page.url).content.decode()
    full_url = f"http://testserver{page.url}"

    assert f'<link rel="canonical" href="{full_url}">' in content
    field = re.search(r"<input[^>]*data-tyonohjaus-share-url[^>]*>", content).group(0)
    assert f'value="{full_url}"' in field
    assert "readonly" in field
    assert 'type="url"' in field
    # The copy button exists for share.js but is hidden until JavaScript shows it.
    button = re.search(r"<button[^>]*data-tyonohjaus-share-button[^>]*>", content).group(0)
    assert "hidden" in button
    status = re.search(r"<p[^>]*data-tyonohjaus-share-status[^>]*>", content, re.S).group(0)
    assert 'aria-live="polite"' in status
    assert 'role="status"' in status
    assert f'data-message-copied="{URL_COPIED[language]}"' in status
    assert "tyonohjaus_plugin/js/share.js" in content


@pytest.mark.django_db
def test_share_control_can_be_switched_off(client, service_pages):
    with override_settings(TYONOHJAUS_PLUGIN={"SHOW_SHARE_CONTROL": False}):
        content = client.get(service_pages["fi"].url).content.decode()
    assert "data-tyonohjaus-share" not in content
    assert "<h1>Työnohjaus</h1>" in content


@pytest.mark.django_db
def test_updated_date_is_hidden_when_same_day_as_published(client, service_pages):
    page = set_dates(service_pages["en"], PUBLISHED_AT, PUBLISHED_AT)
    content = client.get(page.url).content.decode()
    assert "March 2, 2026" in content
    assert "Oct. 14, 2026" not in content
    assert "<dt>Updated</dt>" not in content


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
def test_translated_provider_shows_in_page_language(client, service_pages, providers, language):
    response = client.get(service_pages[language].url)
    assertContains(response, PROVIDER_NAMES[language])
    assertNotContains(response, PROVIDER_NAMES["fi"])


@pytest.mark.django_db
def test_provider_chosen_in_another_language_is_shown_translated(service_pages, providers):
    """An editor may pick the Finnish provider on the Swedish page: it is shown in Swedish."""
    page = service_pages["sv"]
    page.provider = providers["fi"]
    page.save()
    assert page.get_provider() == providers["sv"]


@pytest.mark.django_db
def test_provider_without_translation_falls_back_to_the_chosen_one(service_pages, providers):
    providers["en"].delete()
    page = type(service_pages["en"]).objects.get(pk=service_pages["en"].pk)
    page.provider = providers["fi"]
    assert page.get_provider() == providers["fi"]


@pytest.mark.django_db
def test_provider_contact_is_rendered(client, service_pages, providers):
    providers["fi"].contact_url = "https://intra.example.org/hr"
    providers["fi"].save()
    content = client.get(service_pages["fi"].url).content.decode()
    assert 'href="mailto:hr@example.org"' in content
    assert 'href="tel:+358290000000"' in content
    assert 'href="https://intra.example.org/hr"' in content


@pytest.mark.django_db
def test_page_without_provider_renders_no_provider_block(client, service_pages):
    page = service_pages["fi"]
    page.provider = None
    page.save_revision().publish()
    response = client.get(page.url)
    assert response.status_code == 200
    assertNotContains(response, "tyonohjaus-provider")


@pytest.mark.django_db
def test_anonymous_get_makes_at_most_eight_queries(
    client, service_pages, django_assert_max_num_queries
):
    url = service_pages["sv"].url
    client.get(url)  # warm Wagtail's site-root-paths cache, as on a running server
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.django_db
def test_placeholders_for_later_features_are_template_blocks(service_pages):
    from django.template.loader import get_template

    source = get_template("tyonohjaus_plugin/service_page.html").template.source
    for block in ("tyonohjaus_application", "tyonohjaus_feedback", "tyonohjaus_provider"):
        assert "{% block " + block + " %}" in source


@pytest.mark.django_db
def test_ui_strings_are_translated(client, service_pages):
    with translation.override("fi"):
        content = client.get(service_pages["fi"].url).content.decode()
    assert "Jaa" in content
    assert "Julkaistu" in content


@pytest.mark.django_db
def test_routed_page_brings_its_provider_without_another_query(
    service_pages, django_assert_num_queries
):
    from tyonohjaus_plugin.models import ServicePage

    page = ServicePage.objects.get(pk=service_pages["fi"].pk)
    with django_assert_num_queries(0):
        assert page.provider.name == "Henkilöstöpalvelut"


@pytest.mark.django_db
def test_only_and_defer_drop_the_provider_join(service_pages):
    from tyonohjaus_plugin.models import ServicePage

    pk = service_pages["fi"].pk
    assert ServicePage.objects.only("title").get(pk=pk).title == "Työnohjaus"
    assert ServicePage.objects.defer("provider").get(pk=pk).lead
    # An explicit request for the provider keeps the join.
    page = ServicePage.objects.only("title", "provider__name").get(pk=pk)
    assert page.provider.name == "Henkilöstöpalvelut"


@pytest.mark.django_db
def test_provider_contact_page_links_to_the_visitors_language(
    client, service_pages, providers, homes
):
    providers["sv"].contact_page = homes["fi"]  # chosen in Finnish; shown in Swedish
    providers["sv"].save()
    content = client.get(service_pages["sv"].url).content.decode()
    assert f'<a href="{homes["sv"].url}">Kontaktuppgifter</a>' in content
