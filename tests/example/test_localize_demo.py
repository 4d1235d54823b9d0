"""The demo's sv/en pages and translatable snippets are wagtail-localize synced translations."""

import io

from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext, override
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from example_site.home import demo_content
from example_site.home.management.commands.load_demo_data import (
    HOME_KEY,
    NOTICE_KEY,
    PROVIDER_KEY,
    SERVICE_KEY,
)
from tyonohjaus_plugin.models import (
    AgreementTemplate,
    PrivacyNotice,
    Provider,
    ServicePage,
    Theme,
)

TARGETS = ("sv", "en")


def versions(model, key):
    return {
        obj.locale.language_code: obj
        for obj in model.objects.filter(translation_key=key).select_related("locale")
    }


def segment_count(source):
    return source.stringsegment_set.count()


def synced_sources():
    """(model, translation key) of everything the demo translates."""
    from example_site.home.models import HomePage

    themes = Theme.objects.filter(locale__language_code="fi").values_list(
        "translation_key", flat=True
    )
    return [
        (HomePage, HOME_KEY),
        (ServicePage, SERVICE_KEY),
        (Provider, PROVIDER_KEY),
        (PrivacyNotice, NOTICE_KEY),
        *((Theme, key) for key in themes),
        *(
            (AgreementTemplate, key)
            for key in AgreementTemplate.objects.filter(locale__language_code="fi").values_list(
                "translation_key", flat=True
            )
        ),
    ]


def test_every_sv_and_en_version_is_a_synced_translation_of_the_finnish_one(demo):
    sources = synced_sources()
    assert len(sources) == 5 + len(demo_content.THEMES["fi"])  # and the agreement template
    for model, key in sources:
        by_language = versions(model, key)
        assert set(by_language) == {"fi", *TARGETS}, model
        for code in TARGETS:
            translation = Translation.objects.get(
                source__object_id=key, target_locale__language_code=code
            )
            assert translation.enabled
            assert translation.source.locale.language_code == "fi"
            assert translation.get_target_instance().pk == by_language[code].pk
            # Every string has the demo's own translation: nothing waits for a translator.
            total, translated = translation.get_progress()
            assert total and translated == total, (model, code)


def test_translations_hold_the_demo_texts_of_their_language(demo, client):
    providers = versions(Provider, PROVIDER_KEY)
    notices = versions(PrivacyNotice, NOTICE_KEY)
    pages = versions(ServicePage, SERVICE_KEY)
    for code in TARGETS:
        assert providers[code].name == demo_content.PROVIDER[code]["name"]
        assert providers[code].email == demo_content.PROVIDER_CONTACT["email"]
        assert notices[code].title == demo_content.PRIVACY_NOTICE[code]["title"]
        assert notices[code].body == demo_content.PRIVACY_NOTICE[code]["body"]
        assert notices[code].version == 1
        names = list(
            Theme.objects.filter(locale__language_code=code)
            .order_by("sort_order")
            .values_list("name", flat=True)
        )
        assert names == demo_content.THEMES[code]
        # The page links the provider of its own language (wagtail-localize's related object).
        assert pages[code].provider_id == providers[code].pk
        assert pages[code].applications_enabled  # synchronised from the Finnish page
        html = client.get(pages[code].url).content.decode()
        service = demo_content.SERVICE[code]
        assert escape(service["lead"]) in html
        assert service["body"][4]["value"] in html  # a rich text paragraph, as it is
        assert escape(providers[code].name) in html
        assert escape(demo_content.SERVICE["fi"]["lead"]) not in html


def test_editors_open_translations_in_the_translation_editor(demo, client):
    page = versions(ServicePage, SERVICE_KEY)["sv"]
    client.login(username="editor", password="editor-demo")
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert 'class="js-translation-editor"' in html
    # HR keeps (and translates) the themes.
    theme = Theme.objects.get(locale__language_code="sv", sort_order=0)
    client.login(username="hr", password="hr-demo")
    url = reverse(Theme.snippet_viewset.get_url_name("edit"), args=[theme.pk])
    assert 'class="js-translation-editor"' in client.get(url).content.decode()


def test_the_translations_report_lists_the_pages(demo, client):
    client.login(username="editor", password="editor-demo")
    response = client.get(reverse("wagtail_localize:translations_report"))
    assert response.status_code == 200
    html = response.content.decode()
    for code in TARGETS:
        locale = Locale.objects.get(language_code=code)
        assert f"{demo_content.SERVICE[code]['title']} ({locale})" in html
    # Every translation is up to date (the admin speaks Finnish here: the report's own wording).
    results = client.get(reverse("wagtail_localize:translations_report_results"))
    with override("fi"):
        up_to_date = gettext("Up to date")
    assert up_to_date != "Up to date"
    assert results.content.decode().count(up_to_date) == Translation.objects.count() == 22


def test_a_changed_finnish_lead_reaches_sv_after_sync_and_translation(
    demo, client, django_capture_on_commit_callbacks
):
    pages = versions(ServicePage, SERVICE_KEY)
    fi_page = pages["fi"]
    fi_page.lead = "Uusi johdanto: hakukierros on auki."
    fi_page.save_revision().publish()
    # "Sync translated pages"
    source = TranslationSource.objects.get_for_instance(fi_page)
    source.update_from_db()
    segment = source.stringsegment_set.get(string__data=fi_page.lead)
    sv = Locale.objects.get(language_code="sv")
    translation = Translation.objects.get(source=source, target_locale=sv)
    assert translation.get_progress() == (segment_count(source), segment_count(source) - 1)
    StringTranslation.objects.create(
        translation_of=segment.string,
        locale=sv,
        context=segment.context,
        data="Ny ingress: ansökningsomgången är öppen.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)  # wagtail-localize publishes on commit

    html = client.get(pages["sv"].url).content.decode()
    assert "Ny ingress: ansökningsomgången är öppen." in html
    assert demo_content.SERVICE["sv"]["lead"] not in html
    # The rest of the page keeps its translation.
    assert demo_content.SERVICE["sv"]["body"][4]["value"] in html


def test_loading_again_keeps_an_editors_translation(demo):
    string = StringTranslation.objects.filter(
        locale__language_code="sv",
        data=demo_content.SERVICE["sv"]["lead"],
    ).get()
    string.data = "Redaktörens egen ingress."
    string.save()
    call_command("load_demo_data", stdout=io.StringIO())
    string.refresh_from_db()
    assert string.data == "Redaktörens egen ingress."
    assert Translation.objects.filter(target_locale__language_code="sv").count() == len(
        synced_sources()
    )
