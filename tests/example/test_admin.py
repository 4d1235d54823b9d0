"""The content editor works on the service page and the provider in Wagtail admin."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from example_site.home.management.commands.load_demo_data import SERVICE_KEY
from tyonohjaus_plugin.models import Provider, ServicePage


@pytest.fixture
def editor_client(demo, client):
    assert client.login(username="editor", password="editor-demo")
    return client


def test_editor_opens_the_edit_view(editor_client):
    page = ServicePage.objects.get(translation_key=SERVICE_KEY, locale__language_code="fi")
    response = editor_client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    content = response.content.decode()
    for label in ("Lead", "Body", "Provider"):
        assert label.lower() in content.lower()


def test_editor_edits_and_publishes_the_page(editor_client, client):
    page = ServicePage.objects.get(translation_key=SERVICE_KEY, locale__language_code="fi")
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "lead": "Uusi ingressi toimittajalta.",
            "body": streamfield(
                [
                    ("heading", {"text": "Uusi otsikko", "level": "h2"}),
                    ("facts", {"heading": "", "facts": streamfield([])}),
                ]
            ),
            "provider": page.provider_id,
            "comments": inline_formset([]),
            "action-publish": "action-publish",
        }
    )
    # A facts block needs at least one fact: the form refuses it and keeps what was typed.
    data["body-1-value-facts-count"] = "0"
    response = editor_client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 200
    page.refresh_from_db()
    assert page.lead != "Uusi ingressi toimittajalta."
    assert "Uusi ingressi toimittajalta." in response.content.decode()

    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "lead": "Uusi ingressi toimittajalta.",
            "body": streamfield([("heading", {"text": "Uusi otsikko", "level": "h2"})]),
            "provider": page.provider_id,
            "comments": inline_formset([]),
            "action-publish": "action-publish",
        }
    )
    response = editor_client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.lead == "Uusi ingressi toimittajalta."
    assert page.live and not page.has_unpublished_changes
    editor_client.logout()
    public = client.get(page.url).content.decode()
    assert "Uusi ingressi toimittajalta." in public
    assert "Uusi otsikko" in public


def test_editor_manages_providers_as_snippets(editor_client):
    provider = Provider.objects.filter(locale__language_code="fi").get()
    viewset = Provider.snippet_viewset
    listing = editor_client.get(reverse(viewset.get_url_name("list")))
    assert listing.status_code == 200
    assert provider.name in listing.content.decode()
    edit = editor_client.get(reverse(viewset.get_url_name("edit"), args=[provider.pk]))
    assert edit.status_code == 200
    assert provider.email in edit.content.decode()


def test_employee_cannot_edit(demo, client):
    page = ServicePage.objects.get(translation_key=SERVICE_KEY, locale__language_code="fi")
    client.login(username="employee", password="employee-demo")
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
