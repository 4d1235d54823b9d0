"""wagtail-localize translates the service page, its StreamField and its provider."""

import pytest
from django.contrib.auth import get_user_model
from wagtail_localize.models import StringTranslation, Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from tests.factories import ProviderFactory
from tests.utils import make_service_page
from tyonohjaus_plugin.models import Provider, ServicePage


@pytest.mark.django_db
def test_translate_service_page_with_wagtail_localize(
    homes, locales, client, django_capture_on_commit_callbacks
):
    provider = ProviderFactory(locale=locales["fi"], name="Henkilöstöpalvelut")
    page = make_service_page(homes["fi"], provider=provider)
    user = get_user_model().objects.create_superuser("translator", "t@example.org", "x")

    # wagtail-localize publishes the new translation in transaction.on_commit.
    with django_capture_on_commit_callbacks(execute=True):
        TranslationCreator(user, [locales["sv"]]).create_translations(page)

    sv_page = ServicePage.objects.get(translation_key=page.translation_key, locale=locales["sv"])
    # The provider was submitted along with the page and the translation points to it.
    sv_provider = Provider.objects.get(
        translation_key=provider.translation_key, locale=locales["sv"]
    )
    assert sv_page.provider_id == sv_provider.pk

    # Translatable segments include the lead and the StreamField's texts.
    source = TranslationSource.objects.get_for_instance(page)
    segments = {segment.string.data: segment for segment in source.stringsegment_set.all()}
    assert page.lead in segments
    assert "Mihin työnohjaus auttaa?" in segments
    assert "jaksaminen" in segments
    assert "Ryhmäkoko" in segments

    for text, swedish in [(page.lead, "Förtroligt stöd i arbetet."), ("Ryhmäkoko", "Gruppstorlek")]:
        segment = segments[text]
        StringTranslation.objects.create(
            translation_of=segment.string,
            locale=locales["sv"],
            context=segment.context,
            data=swedish,
        )
    translation = Translation.objects.get(source=source, target_locale=locales["sv"])
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(user=user, publish=True)

    sv_page.refresh_from_db()
    assert sv_page.live
    content = client.get(sv_page.url).content.decode()
    assert "Förtroligt stöd i arbetet." in content
    assert "<dt>Gruppstorlek</dt>" in content
    assert sv_page.url.startswith("/sv/")
