"""Create the demo intranet: locales, home and työnohjaus pages in fi/sv/en, provider, users,
supervisors, a past, a closed (ready for matching) and an open application round.

The Swedish and English pages and translatable snippets are wagtail-localize synced translations
of the Finnish ones (see ``Command.translate``): an editor opens them in wagtail-localize's
translation editor and syncs them after editing the Finnish source.

Idempotent: objects are found by fixed translation keys, usernames and (external supervisors)
e-mail addresses, so running it again leaves the same state (and keeps an editor's later changes
to the pages and their translations; demo supervisors go back to their defined values).
"""

import datetime
import random
import re
import uuid
from collections import Counter
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from wagtail.models import GroupPagePermission, Locale, Page, Site
from wagtail_localize.models import StringTranslation, Translation, TranslationSource
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from example_site.home import demo_content as content
from example_site.home.models import HomePage
from tyonohjaus_plugin.actions.change_application_status import ChangeApplicationStatusAction
from tyonohjaus_plugin.actions.declare_conflict import DeclareConflictAction
from tyonohjaus_plugin.actions.respond_to_invitation import RespondToInvitationAction
from tyonohjaus_plugin.actions.submit_application import ApplicationData, SubmitApplicationAction
from tyonohjaus_plugin.engagements.agreements import ensure_agreement
from tyonohjaus_plugin.engagements.services import create_engagements
from tyonohjaus_plugin.models import (
    Agreement,
    AgreementAcknowledgement,
    AgreementTemplate,
    Application,
    ApplicationEvent,
    ApplicationParticipant,
    ApplicationRound,
    EmployeeProfile,
    Engagement,
    EngagementParticipant,
    FeedbackResponse,
    Meeting,
    ParticipantStatus,
    PrivacyNotice,
    Provider,
    RoundState,
    ServicePage,
    Supervisor,
    SupervisorAvailability,
    SupervisorCapacity,
    SupervisorKind,
    Theme,
)
from tyonohjaus_plugin.permissions import ROLES

LANGUAGES = ("fi", "sv", "en")
_BLOCK_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_NAMESPACE = uuid.UUID("6f1f9b1e-3b8e-4d5a-9a57-0d7c3a7a1c00")
HOME_KEY = uuid.uuid5(_NAMESPACE, "home")
SERVICE_KEY = uuid.uuid5(_NAMESPACE, "service:tyonohjaus")
PROVIDER_KEY = uuid.uuid5(_NAMESPACE, "provider:henkilostopalvelut")
NOTICE_KEY = uuid.uuid5(_NAMESPACE, "privacy-notice:1")
AGREEMENT_KEY = uuid.uuid5(_NAMESPACE, "agreement-template:1")

EDITORS_GROUP = "Service editors"
HR_GROUP = "HR"
HR_ASSISTANT_GROUP = "HR assistant"
SUPERVISOR_GROUP = "Supervisor"

#: The round whose application period ended last week: HR can run matching on it right away.
CLOSED_ROUND_NAME = "Talvi 2027"
#: The rounds' names in Swedish and English (``name`` is the Finnish one).
ROUND_NAME_TRANSLATIONS = {
    "Syksy 2026": {"sv": "Hösten 2026", "en": "Autumn 2026"},
    "Kevät 2027": {"sv": "Våren 2027", "en": "Spring 2027"},
    CLOSED_ROUND_NAME: {"sv": "Vintern 2027", "en": "Winter 2027"},
}


def string_translations(source, translated):
    """Finnish source string -> its translation, from ``source`` and an unsaved instance
    ``translated`` holding the same content in another language (the demo content module's).

    A string is matched by where it is (its field, and its place in a StreamField: block ids
    differ between the two, the structure does not). Strings ``translated`` lacks are left out.
    """

    def strings(instance):
        found, seen = {}, Counter()
        for segment in extract_segments(instance):
            if isinstance(segment, StringSegmentValue):
                place = _BLOCK_ID.sub("*", segment.path)
                found[place, seen[place]] = segment.string.data
                seen[place] += 1
        return found

    theirs = strings(translated)
    return {text: theirs[place] for place, text in strings(source).items() if place in theirs}


def role_permissions(role):
    """The permissions of ``role`` in ``tyonohjaus_plugin.permissions.ROLES``."""
    query = Q(pk__in=[])
    for name in ROLES[role]:
        app_label, codename = name.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    permissions = list(Permission.objects.filter(query))
    if len(permissions) != len(set(ROLES[role])):
        raise CommandError(f"Some permissions of the {role} role are missing; run migrate.")
    return permissions


class Command(BaseCommand):
    help = "Load the example site's demo content and users (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even where DEMO_DATA_ALLOWED is off (a throwaway copy of production).",
        )

    def handle(self, *args, **options):
        # The demo creates users with published passwords (admin/admin-demo): never on a real site
        # by accident. Development settings allow it (DEBUG); production settings do not.
        if not options["force"] and not getattr(settings, "DEMO_DATA_ALLOWED", settings.DEBUG):
            raise CommandError(
                "Demo data creates users with known passwords and is off in these settings "
                "(DEMO_DATA_ALLOWED). Use --force only on a throwaway site."
            )
        with transaction.atomic():
            locales = self.ensure_locales()
            providers = self.ensure_providers(locales)
            homes = self.ensure_home(locales)
            services = self.ensure_service_page(homes, providers, locales)
            self.ensure_feedback(services)
            groups = self.ensure_groups(homes)
            self.ensure_users(groups)
            self.ensure_application_setup(services, locales)
            self.ensure_supervisors(services, locales, groups)
            self.ensure_finished_engagement(services, locales)
            self.ensure_agreements(locales)
            self.ensure_agreeing_engagement(services, locales)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write("Demo logins (username / password, role):")
        for username, _first, _last, password, role in content.USERS:
            self.stdout.write(f"  {username:<11} {password:<16} {role}")
        names = ", ".join(username for username, *_rest in content.COLLEAGUES)
        self.stdout.write(f"  colleagues ({names}): password {content.COLLEAGUE_PASSWORD}")
        names = ", ".join(username for username, *_rest in content.SUPERVISOR_USERS)
        self.stdout.write(f"  supervisors ({names}): password {content.SUPERVISOR_PASSWORD}")
        self.stdout.write(
            f"  {len(content.ROUND_COLLEAGUES)} applicants of the round {CLOSED_ROUND_NAME} "
            f"({content.ROUND_COLLEAGUES[0][0]} … {content.ROUND_COLLEAGUES[-1][0]}): "
            f"password {content.COLLEAGUE_PASSWORD}"
        )
        external = content.EXTERNAL_SUPERVISORS[0]
        self.stdout.write(
            "External supervisors have no login: as hr, open Supervisors → "
            f"{external['name']} → “Send the access link” (or ask for one at "
            f"/fi/hr/supervisor/link/ with {external['email']}); the personal link arrives in "
            "sent-emails/ once the outbox has sent it. A confirmed match also e-mails the "
            "supervisor a link to declare any conflict of interest."
        )

    def ensure_locales(self):
        return {code: Locale.objects.get_or_create(language_code=code)[0] for code in LANGUAGES}

    def ensure_providers(self, locales):
        provider, _ = Provider.objects.update_or_create(
            translation_key=PROVIDER_KEY,
            locale=locales["fi"],
            defaults={**content.PROVIDER["fi"], **content.PROVIDER_CONTACT},
        )
        self.translate(
            provider,
            {
                code: Provider(**content.PROVIDER[code], **content.PROVIDER_CONTACT)
                for code in LANGUAGES[1:]
            },
        )
        return {
            provider.locale.language_code: provider
            for provider in Provider.objects.filter(translation_key=PROVIDER_KEY)
        }

    def ensure_home(self, locales):
        fi_home = HomePage.objects.filter(translation_key=HOME_KEY, locale=locales["fi"]).first()
        if fi_home is None:
            root = Page.get_first_root_node()
            fi_home = HomePage(
                translation_key=HOME_KEY,
                locale=locales["fi"],
                slug="intranet",
                **content.HOME["fi"],
            )
            root.add_child(instance=fi_home)
            fi_home.save_revision().publish()
        self.make_site_root(fi_home)
        # The home pages are siblings under the root: each language needs a slug of its own.
        self.translate(
            fi_home,
            {
                code: HomePage(slug=f"intranet-{code}", **content.HOME[code])
                for code in LANGUAGES[1:]
            },
        )
        return self.language_versions(fi_home)

    def make_site_root(self, home):
        # Canonical URLs (the Share control) use the site's host: take it from the admin base URL.
        base = urlsplit(settings.WAGTAILADMIN_BASE_URL or "http://localhost")
        address = {
            "hostname": base.hostname or "localhost",
            "port": base.port or (443 if base.scheme == "https" else 80),
            "site_name": "Intranet",
        }
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(root_page=home, is_default_site=True, **address)
            return
        previous = site.root_page.specific
        Site.objects.filter(pk=site.pk).update(root_page=home, **address)
        Site.clear_site_root_paths_cache()
        if previous.pk == home.pk:
            return
        # Wagtail's placeholder "Welcome to your new Wagtail site!" page is of the base Page type.
        if type(previous) is Page and previous.depth == 2 and not previous.get_children().exists():
            previous.delete()

    def language_versions(self, page):
        return {
            version.locale.language_code: version
            for version in type(page).objects.filter(translation_key=page.translation_key)
            .select_related("locale")
        }  # fmt: skip

    def translate(self, source, translated):
        """Make the other language versions of ``source`` (a page or a snippet in Finnish)
        wagtail-localize synced translations, with the demo's own texts as their translations.

        ``translated``: language code -> an unsaved instance with that language's content. A
        language version already translated this way is left as it is (an editor may have changed
        it since); one made by copying (an older demo database) becomes a synced translation.
        """
        source_record, _ = TranslationSource.get_or_create_from_instance(source)
        segments = source_record.stringsegment_set.select_related("string")
        for code, instance in translated.items():
            locale = Locale.objects.get(language_code=code)
            translation, created = Translation.objects.get_or_create(
                source=source_record, target_locale=locale
            )
            if not created:
                continue
            texts = string_translations(source, instance)
            for segment in segments:
                if segment.string.data in texts:
                    StringTranslation.objects.update_or_create(
                        translation_of=segment.string,
                        locale=locale,
                        context=segment.context,
                        defaults={
                            "data": texts[segment.string.data],
                            "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                        },
                    )
            self.save_target(translation)

    def save_target(self, translation):
        """``translation.save_target(publish=True)``, except that a page is published right away:
        wagtail-localize publishes it when the transaction commits, and the rest of the demo (and
        its tests, which roll back) need the live page inside the transaction."""
        is_page = issubclass(translation.source.specific_content_type.model_class(), Page)
        translation.source.create_or_update_translation(
            translation.target_locale,
            publish=not is_page,  # a snippet without drafts can only be saved "published"
            copy_parent_pages=True,
            fallback=True,
        )
        if is_page:
            translation.get_target_instance().get_latest_revision().publish()

    def sync_translations(self, source):
        """What "Sync translated pages" does after the Finnish page changed: the translations
        take its new content (strings already translated keep their translation)."""
        source_record = TranslationSource.objects.get_for_instance(source)
        source_record.update_from_db()
        for translation in source_record.translations.filter(enabled=True):
            self.save_target(translation)

    def ensure_service_page(self, homes, providers, locales):
        fi_page = ServicePage.objects.filter(
            translation_key=SERVICE_KEY, locale=locales["fi"]
        ).first()
        if fi_page is None:
            fi_page = ServicePage(
                translation_key=SERVICE_KEY,
                locale=locales["fi"],
                provider=providers["fi"],
                **content.SERVICE["fi"],
            )
            homes["fi"].add_child(instance=fi_page)
            fi_page.save_revision().publish()
        # The provider follows by itself: wagtail-localize links its translation in each language.
        self.translate(
            fi_page,
            {
                # wagtail-localize finds a StreamField's strings by block id: give the blocks one.
                code: ServicePage(
                    **{
                        **content.SERVICE[code],
                        "body": [
                            {**block, "id": str(uuid.uuid4())}
                            for block in content.SERVICE[code]["body"]
                        ],
                    }
                )
                for code in LANGUAGES[1:]
            },
        )
        return self.language_versions(fi_page)

    def ensure_feedback(self, pages):
        """About ten weeks of earlier answers, so that the report and its chart have content."""
        if FeedbackResponse.objects.filter(page__translation_key=SERVICE_KEY).exists():
            return
        rng = random.Random(2026)  # noqa: S311 - demo data, the same answers every time
        today = timezone.localdate()
        rows = []
        for days_ago in range(70, 0, -1):
            for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
                code = rng.choice(("fi", "fi", "fi", "sv", "en"))
                found = rng.random() < 0.7
                comments = content.FEEDBACK_COMMENTS[code]
                rows.append(
                    FeedbackResponse(
                        page=pages[code],
                        locale_id=pages[code].locale_id,
                        found_information=found,
                        comment="" if found or rng.random() < 0.5 else rng.choice(comments),
                        created_on=today - datetime.timedelta(days=days_ago),
                    )
                )
        FeedbackResponse.objects.bulk_create(rows)

    def ensure_groups(self, homes):
        editors, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
        hr, _ = Group.objects.get_or_create(name=HR_GROUP)
        supervisor, _ = Group.objects.get_or_create(name=SUPERVISOR_GROUP)
        hr_assistant, _ = Group.objects.get_or_create(name=HR_ASSISTANT_GROUP)

        # The roles' permissions come from the plugin's table (the tests use it too).
        for role, group in (
            ("editor", editors),
            ("hr", hr),
            ("supervisor", supervisor),
            ("hr_assistant", hr_assistant),
        ):
            group.permissions.add(*role_permissions(role))
        # HR also translates the themes and privacy notices it keeps, with wagtail-localize (the
        # permission comes from wagtail-localize's migration, so it is the demo's, not the role's).
        hr.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="wagtail_localize", codename="submit_translation"
            )
        )

        page_perms = Permission.objects.filter(
            content_type__app_label="wagtailcore",
            codename__in=["add_page", "change_page", "publish_page"],
        )
        # Each language version of the home page is its own subtree under the root.
        for home in homes.values():
            for permission in page_perms:
                GroupPagePermission.objects.get_or_create(
                    group=editors, page=home, permission=permission
                )
        return {
            "editor": editors,
            "hr": hr,
            "supervisor": supervisor,
            "hrassistant": hr_assistant,
        }

    def ensure_users(self, groups):
        User = get_user_model()
        for username, first_name, last_name, password, _role in content.USERS:
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={
                    "first_name": first_name,
                    "last_name": last_name,
                    "email": f"{username}@example.org",
                    "is_active": True,
                    "is_staff": username == "admin",
                    "is_superuser": username == "admin",
                },
            )
            if not user.check_password(password):
                user.set_password(password)
                user.save(update_fields=["password"])
            if username in groups:
                user.groups.add(groups[username])

    def ensure_application_setup(self, services, locales):
        """Themes, the privacy notice, colleagues in units, an open round and a few applications."""
        User = get_user_model()
        for index, names in enumerate(
            zip(*(content.THEMES[code] for code in LANGUAGES), strict=True)
        ):
            theme, _ = Theme.objects.update_or_create(
                translation_key=uuid.uuid5(_NAMESPACE, f"theme:{index}"),
                locale=locales["fi"],
                defaults={"name": names[0], "sort_order": index},
            )
            self.translate(
                theme,
                {
                    code: Theme(name=name)
                    for code, name in zip(LANGUAGES[1:], names[1:], strict=True)
                },
            )
        notice_dates = {"version": 1, "effective_from": datetime.date(2026, 1, 1)}
        notice, _ = PrivacyNotice.objects.update_or_create(
            translation_key=NOTICE_KEY,
            locale=locales["fi"],
            defaults={**content.PRIVACY_NOTICE["fi"], **notice_dates},
        )
        self.translate(
            notice,
            {
                code: PrivacyNotice(**content.PRIVACY_NOTICE[code], **notice_dates)
                for code in LANGUAGES[1:]
            },
        )
        colleagues = [
            self.ensure_colleague(username, first_name, last_name, unit)
            for username, first_name, last_name, unit in content.COLLEAGUES
        ]
        for username, first_name, last_name, unit, language in content.ROUND_COLLEAGUES:
            self.ensure_colleague(username, first_name, last_name, unit, language)
        for username, unit in content.USER_UNITS.items():
            self.ensure_profile(User.objects.get(username=username), unit)

        service_key = services["fi"].translation_key
        notices = {
            notice.locale.language_code: notice
            for notice in PrivacyNotice.objects.filter(translation_key=NOTICE_KEY)
        }
        first_load = not ApplicationRound.objects.for_service(service_key).exists()
        now = timezone.now()
        if first_load:
            ApplicationRound.objects.create(
                service_key=service_key,
                name="Syksy 2026",
                name_translations=ROUND_NAME_TRANSLATIONS["Syksy 2026"],
                opens_at=now - datetime.timedelta(days=120),
                closes_at=now - datetime.timedelta(days=90),
                state=RoundState.MATCHED,
            )
        # Before the open round exists: only one round of a service can be open at a time.
        self.ensure_closed_round(service_key, locales, notices)
        if not first_load:
            # A demo database loaded before the rounds had names per language gets them.
            for name, translations in ROUND_NAME_TRANSLATIONS.items():
                ApplicationRound.objects.for_service(service_key).filter(name=name).update(
                    name_translations=translations
                )
            return
        round = ApplicationRound.objects.create(
            service_key=service_key,
            name="Kevät 2027",
            name_translations=ROUND_NAME_TRANSLATIONS["Kevät 2027"],
            opens_at=now - datetime.timedelta(days=7),
            closes_at=now + datetime.timedelta(days=21),
            state=RoundState.OPEN,
        )
        fi_page = services["fi"]
        fi_page.applications_enabled = True
        fi_page.save_revision().publish()
        self.sync_translations(fi_page)
        notice = notices["fi"]
        themes = list(Theme.objects.filter(locale=locales["fi"]).values_list("pk", flat=True))
        examples = [
            (colleagues[2], "individual", [], "in_review"),
            (colleagues[3], "group", [colleagues[4]], "submitted"),
            (colleagues[5], "individual", [], "waitlisted"),
        ]
        for user, format, members, status in examples:
            application = SubmitApplicationAction(
                user=user,
                service_key=service_key,
                round=round,
                data=ApplicationData(
                    format=format,
                    languages=["fi", "en"],
                    situation="Esimerkkihakemus: työnkuva on muuttunut syksyn aikana.",
                    goals="Esimerkkitavoite: selkeämpi työnjako ja oma jaksaminen.",
                    theme_ids=themes[:2],
                    co_applicants=members,
                ),
                notice=notice,
            ).execute()
            Application.objects.filter(pk=application.pk).update(status=status)

    def ensure_colleague(self, username, first_name, last_name, unit, language="fi"):
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@example.org",
            },
        )
        if created:
            user.set_password(content.COLLEAGUE_PASSWORD)
            user.save(update_fields=["password"])
        self.ensure_profile(user, unit, language)
        return user

    def ensure_closed_round(self, service_key, locales, notices):
        """A round closed last week with applications from colleagues in every unit, waiting for
        HR to run matching (see CLOSED_ROUND_APPLICATIONS for the designed outcomes).

        The applications go through the product's actions while the round still takes them:
        submitted, the co-applicants confirm, then the round closes and HR reviews some.
        """
        rounds = ApplicationRound.objects.for_service(service_key)
        if rounds.filter(name=CLOSED_ROUND_NAME).exists():
            return
        now = timezone.now()
        opens_at = now - datetime.timedelta(days=40)
        closes_at = now - datetime.timedelta(days=8)
        today = timezone.localdate()
        round = ApplicationRound.objects.create(
            service_key=service_key,
            name=CLOSED_ROUND_NAME,
            name_translations=ROUND_NAME_TRANSLATIONS[CLOSED_ROUND_NAME],
            opens_at=opens_at,
            closes_at=now + datetime.timedelta(hours=1),
            programme_starts_on=today + datetime.timedelta(days=14),
            programme_ends_on=today + datetime.timedelta(days=126),
            # A demo database loaded before this round existed has its open round already; a
            # closed round still takes applications inside its window (ACCEPTING_STATES).
            state=RoundState.CLOSED if rounds.open().exists() else RoundState.OPEN,
        )
        User = get_user_model()
        people = {
            user.username: user
            for user in User.objects.select_related("tyonohjaus_profile").filter(
                username__in=[username for username, *_rest in content.ROUND_COLLEAGUES]
            )
        }
        # Picked on the service page in any language, stored as the canonical (Finnish) rows.
        themes = list(
            Theme.objects.filter(locale=locales["fi"])
            .order_by("sort_order")
            .values_list("pk", flat=True)
        )
        reviewed = []
        count = len(content.CLOSED_ROUND_APPLICATIONS)
        for index, spec in enumerate(content.CLOSED_ROUND_APPLICATIONS):
            username, format, members, languages, theme_indexes, status, situation, goals = spec
            user = people[username]
            language = user.tyonohjaus_profile.preferred_language
            application = SubmitApplicationAction(
                user=user,
                service_key=service_key,
                round=round,
                data=ApplicationData(
                    format=format,
                    languages=languages,
                    situation=situation,
                    goals=goals,
                    theme_ids=[themes[i] for i in theme_indexes],
                    co_applicants=[people[member] for member in members],
                ),
                notice=notices[language],
            ).execute()
            for participant in application.participants.filter(status=ParticipantStatus.INVITED):
                RespondToInvitationAction(
                    participant, user=participant.user, confirm=True
                ).execute()
            # Spread the arrivals over the application period (submitting took place just now).
            shift = opens_at + (closes_at - opens_at) * (index + 1) / (count + 1) - now
            Application.objects.filter(pk=application.pk).update(
                submitted_at=F("submitted_at") + shift,
                status_changed_at=F("status_changed_at") + shift,
            )
            ApplicationParticipant.objects.filter(application=application).update(
                invited_at=F("invited_at") + shift, responded_at=F("responded_at") + shift
            )
            ApplicationEvent.objects.filter(application=application).update(
                created_at=F("created_at") + shift
            )
            if status != application.status:
                reviewed.append((application, status))
        ApplicationRound.objects.filter(pk=round.pk).update(
            state=RoundState.CLOSED, closes_at=closes_at
        )
        hr = User.objects.get(username="hr")
        for application, status in reviewed:
            ChangeApplicationStatusAction(application, user=hr, status=status).execute()

    def ensure_supervisors(self, services, locales, groups):
        """Three internal supervisors (demo users) and nine external ones, some with a capacity
        of their own in the open or the closed round. Internal supervisors' own unit is their
        profile's unit.
        """
        User = get_user_model()
        for username, first_name, last_name, unit in content.SUPERVISOR_USERS:
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={
                    "first_name": first_name,
                    "last_name": last_name,
                    "email": f"{username}@example.org",
                    "is_active": True,
                },
            )
            if not user.check_password(content.SUPERVISOR_PASSWORD):
                user.set_password(content.SUPERVISOR_PASSWORD)
                user.save(update_fields=["password"])
            user.groups.add(groups["supervisor"])
            self.ensure_profile(user, unit)

        themes = {
            index: Theme.objects.get(
                translation_key=uuid.uuid5(_NAMESPACE, f"theme:{index}"), locale=locales["fi"]
            )
            for index in range(len(content.THEMES["fi"]))
        }
        rounds = ApplicationRound.objects.for_service(services["fi"].translation_key)
        round_capacities = {
            "round_capacity": rounds.open().first(),
            "closed_round_capacity": rounds.filter(name=CLOSED_ROUND_NAME).first(),
        }

        for index, spec in enumerate(content.INTERNAL_SUPERVISORS):
            user = User.objects.select_related("tyonohjaus_profile").get(username=spec["username"])
            supervisor, _ = Supervisor.objects.update_or_create(
                user=user,
                defaults={
                    **self.supervisor_fields(spec),
                    "kind": SupervisorKind.INTERNAL,
                    "unit_codes": [user.tyonohjaus_profile.unit_code],
                },
            )
            self.ensure_supervisor_relations(supervisor, spec, themes, round_capacities)
            self.ensure_availability(supervisor, index)
        for index, spec in enumerate(
            content.EXTERNAL_SUPERVISORS, len(content.INTERNAL_SUPERVISORS)
        ):
            supervisor, _ = Supervisor.objects.update_or_create(
                kind=SupervisorKind.EXTERNAL,
                email=spec["email"],
                defaults={
                    **self.supervisor_fields(spec),
                    "name": spec["name"],
                    "organisation": spec["organisation"],
                    "cost_per_meeting": Decimal(spec["cost"]),
                },
            )
            self.ensure_supervisor_relations(supervisor, spec, themes, round_capacities)
            self.ensure_availability(supervisor, index)

    #: Weekly windows of the demo supervisors, by their order in the demo content: (weekday,
    #: from, until, where). The first meeting times offered after a confirm fall inside them.
    AVAILABILITY = [
        [(1, 9, 12, "Teams"), (3, 13, 16, "Neuvotteluhuone Kuusi")],
        [(0, 9, 15, "Teams"), (2, 9, 12, "Teams")],
        [(1, 12, 16, "Neuvotteluhuone Koivu"), (4, 9, 12, "Teams")],
    ]

    def ensure_availability(self, supervisor, index):
        if supervisor.availability.exists():
            return  # kept as the supervisor (or HR) last left it
        windows = self.AVAILABILITY[index % len(self.AVAILABILITY)]
        SupervisorAvailability.objects.bulk_create(
            SupervisorAvailability(
                supervisor=supervisor,
                weekday=weekday,
                starts=datetime.time(starts),
                ends=datetime.time(ends),
                location=location,
            )
            for weekday, starts, ends, location in windows
        )

    def ensure_agreeing_engagement(self, services, locales):
        """The employee's new supervision between rounds with the demo supervisor, confirmed
        just now and declared: three first meeting times to choose from on "My supervision",
        and the welcome messages in sent-emails/ after the first sweep. Beside it, a colleague's
        supervision with the external supervisor, waiting for her declaration: her e-mail opens
        her portal by its signed link."""
        User = get_user_model()
        employee = User.objects.get(username="employee")
        if Application.objects.filter(round=None, applicant=employee).exists():
            return
        now = timezone.now()
        hr = User.objects.get(username="hr")
        supervisor = Supervisor.objects.get(user__username="supervisor")
        application = self.off_round_application(
            services, locales, employee, now, days_ago=3,
            situation="Esimerkkihakemus: uusi tiimi ja paljon muutoksia.",
            goals="Esimerkkitavoite: oma jaksaminen ja selkeät rajat.",
            reason="Esimerkki: tilanne ei voi odottaa seuraavaa hakua.",
        )  # fmt: skip
        (engagement,) = create_engagements(
            [(application, supervisor.pk)], run=None, user=hr, now=now
        )
        if engagement.state == "pending":
            # The supervisor has declared no earlier relationship: the times are proposed.
            DeclareConflictAction(engagement, user=supervisor.user, conflict=False).execute()
        application = self.off_round_application(
            services, locales, User.objects.get(username="liisa"), now, days_ago=4,
            situation="Esimerkkihakemus: uusi esihenkilötehtävä.",
            goals="Esimerkkitavoite: oma tapa johtaa.",
            reason="Esimerkki: tehtävä alkoi kesken kauden.",
        )  # fmt: skip
        external = Supervisor.objects.filter(kind="external", active=True).order_by("pk").first()
        create_engagements([(application, external.pk)], run=None, user=hr, now=now)

    def off_round_application(self, services, locales, applicant, now, *, days_ago, **texts):
        """An individual application between rounds in review, made ``days_ago``."""
        application = Application.objects.create(
            service_key=services["fi"].translation_key,
            round=None,
            applicant=applicant,
            format="individual",
            languages=["fi"],
            situation=texts["situation"],
            goals=texts["goals"],
            off_round_reason=texts["reason"],
            consent_notice=PrivacyNotice.objects.get(
                translation_key=NOTICE_KEY, locale=locales["fi"]
            ),
            consent_version=1,
            status="in_review",
            submitted_at=now - datetime.timedelta(days=days_ago),
            status_changed_at=now - datetime.timedelta(days=days_ago - 1),
        )
        ApplicationParticipant.objects.create(
            application=application,
            round=None,
            user=applicant,
            role="applicant",
            status="confirmed",
            holds_place=False,
        )
        return application

    def supervisor_fields(self, spec):
        return {
            "qualification": spec["qualification"],
            "languages": spec["languages"],
            "formats": spec["formats"],
            "conflict_unit_codes": spec.get("conflict_unit_codes", []),
            "default_capacity": spec["capacity"],
            "active": spec.get("active", True),
        }

    def ensure_supervisor_relations(self, supervisor, spec, themes, round_capacities):
        supervisor.themes.set([themes[index] for index in spec["themes"]])
        supervisor.conflict_users.set(
            get_user_model().objects.filter(username__in=spec.get("conflict_users", []))
        )
        for key, round in round_capacities.items():
            if round is not None and key in spec:
                SupervisorCapacity.objects.update_or_create(
                    supervisor=supervisor, round=round, defaults={"capacity": spec[key]}
                )

    def ensure_profile(self, user, unit, language="fi"):
        EmployeeProfile.objects.update_or_create(
            user=user,
            defaults={
                "unit_code": unit,
                "unit_name": content.UNITS[unit],
                "preferred_language": language,
            },
        )

    def ensure_agreements(self, locales):
        """The agreement template (fi, translated to sv and en), and the agreement of the
        employee's finished engagement, acknowledged by both at its first meeting."""
        template, _ = AgreementTemplate.objects.get_or_create(
            translation_key=AGREEMENT_KEY,
            locale=locales["fi"],
            defaults=content.AGREEMENT_TEMPLATE["fi"],
        )
        self.translate(
            template,
            {code: AgreementTemplate(**content.AGREEMENT_TEMPLATE[code]) for code in LANGUAGES[1:]},
        )
        finished = Engagement.objects.filter(
            participants__user__username="employee", state="completed"
        ).first()
        if finished is None or Agreement.objects.filter(engagement=finished).exists():
            return
        agreement = ensure_agreement(finished)
        first = finished.meetings.order_by("starts_at").first()
        at = first.ends_at if first else finished.confirmed_at
        participant = finished.participants.get(user__username="employee")
        AgreementAcknowledgement.objects.bulk_create(
            [
                AgreementAcknowledgement(
                    agreement=agreement,
                    version=1,
                    participant=participant,
                    user=participant.user,
                    acknowledged_at=at,
                ),
                AgreementAcknowledgement(
                    agreement=agreement,
                    version=1,
                    by_supervisor=True,
                    user=finished.supervisor.user,
                    acknowledged_at=at,
                ),
            ]
        )

    def ensure_finished_engagement(self, services, locales):
        """The employee's work supervision of last autumn, all meetings held: the first reminder
        sweep of the demo sends them the end-evaluation link (in sent-emails/)."""
        User = get_user_model()
        employee = User.objects.get(username="employee")
        past = ApplicationRound.objects.filter(
            service_key=services["fi"].translation_key, name="Syksy 2026"
        ).first()
        if past is None or Application.objects.filter(round=past, applicant=employee).exists():
            return
        submitted = past.closes_at - datetime.timedelta(days=5)
        application = Application.objects.create(
            service_key=past.service_key,
            round=past,
            applicant=employee,
            format="individual",
            languages=["fi"],
            situation="Uusi esihenkilötehtävä ja tiimin muutos samaan aikaan.",
            goals="Oma tapa johtaa ja jaksaminen muutoksen keskellä.",
            consent_notice=PrivacyNotice.objects.get(
                translation_key=NOTICE_KEY, locale=locales["fi"]
            ),
            consent_version=1,
            status="completed",
            submitted_at=submitted,
            status_changed_at=past.closes_at + datetime.timedelta(days=80),
        )
        ApplicationParticipant.objects.create(
            application=application,
            round=past,
            user=employee,
            role="applicant",
            status="confirmed",
            holds_place=False,
        )
        supervisor = Supervisor.objects.get(user__username="tuula")
        engagement = Engagement.objects.create(
            application=application,
            supervisor=supervisor,
            round=past,
            state="completed",
            confirmed_at=past.closes_at + datetime.timedelta(days=3),
        )
        EngagementParticipant.objects.create(engagement=engagement, user=employee)
        first = past.closes_at + datetime.timedelta(days=14)
        for number in range(1, 5):
            start = first + datetime.timedelta(days=21 * (number - 1))
            Meeting.objects.create(
                engagement=engagement,
                number=number,
                starts_at=start,
                ends_at=start + datetime.timedelta(minutes=90),
                state="held",
            )
