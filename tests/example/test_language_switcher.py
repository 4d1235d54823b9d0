"""The example site's language switcher (its base.html) on the plugin's service page."""

import pytest


@pytest.mark.django_db
def test_language_switcher_links_the_translations(client, service_pages):
    content = client.get(service_pages["fi"].url).content.decode()
    assert 'href="/sv/arbetshandledning/" hreflang="sv"' in content
    assert 'href="/en/work-supervision/" hreflang="en"' in content
    assert '<span aria-current="page" lang="fi">Suomi</span>' in content


@pytest.mark.django_db
def test_language_switcher_drops_an_unpublished_translation(client, service_pages):
    client.get(service_pages["fi"].url)  # fills the switcher cache
    service_pages["sv"].unpublish()
    content = client.get(service_pages["fi"].url).content.decode()
    assert "/sv/arbetshandledning/" not in content
    assert 'href="/en/work-supervision/"' in content
