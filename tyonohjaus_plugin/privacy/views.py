"""Data protection screens: the employee's own data (download and a printable page), and HR's
"Personal data" in the admin: find a person, see what the plugin holds about them, export it,
erase it.

HR's screens need ``erase_person`` or ``export_person_data`` (the export and the erasure each
their own); a person is a user id in the URL, anything else a 404. Each export writes one audit
entry, on a record that names no one (``ExportPersonDataAction``); the erasure is a confirmation
page and a POST (``ErasePersonAction``). Nothing personal goes into URLs beyond the id.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import CharField, Exists, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from tyonohjaus_plugin.actions.base import NotPermitted
from tyonohjaus_plugin.actions.erase_person import ErasePersonAction
from tyonohjaus_plugin.actions.export_person_data import ExportPersonDataAction
from tyonohjaus_plugin.conf import plugin_settings
from tyonohjaus_plugin.core.search import words_match
from tyonohjaus_plugin.core.views import RefusalMixin, back_to, mark_personal
from tyonohjaus_plugin.models import (
    ApplicationParticipant,
    Delivery,
    EmployeeProfile,
    EngagementParticipant,
    ErasureTombstone,
)
from tyonohjaus_plugin.permissions import (
    VIEW_ENGAGEMENTS,
    can_erase_person,
    can_export_person_data,
    can_find_people,
)
from tyonohjaus_plugin.privacy.erasure import holdings
from tyonohjaus_plugin.privacy.subject_access import export_person

#: The most people a search lists: HR looks for one person, not a directory.
SEARCH_LIMIT = 50

#: The holdings' kinds, in the order and words of the person page.
HOLDING_LABELS = (
    ("applications", gettext_lazy("Own applications")),
    ("memberships", gettext_lazy("Memberships in colleagues' applications")),
    ("engagements", gettext_lazy("Engagements")),
    ("meetings", gettext_lazy("Meetings")),
    ("evaluation_answers", gettext_lazy("End evaluation answers")),
    ("deliveries", gettext_lazy("Messages to the person in the outbox")),
    ("audit_log_entries", gettext_lazy("Audit-log entries with the person as the actor")),
    ("profile", gettext_lazy("Employee profile (unit, language)")),
)


def _json(data, filename):
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# The employee's own data -------------------------------------------------------------------


@never_cache
@login_required
def download_my_data(request):
    return _json(export_person(request.user), "my-data.json")


@never_cache
@login_required
def my_data(request):
    """The same data as the download, as a page that reads and prints well."""
    context = {
        "data": export_person(request.user),
        "produced_at": timezone.now(),
        "tyonohjaus_base_template": plugin_settings.BASE_TEMPLATE,
    }
    return TemplateResponse(request, "tyonohjaus_plugin/privacy/my_data.html", context)


# HR's screens ------------------------------------------------------------------------------


def person_name(user) -> str:
    return user.get_full_name() or user.get_username()


class SearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Name, username or e-mail address"),
        min_length=2,
        max_length=100,
        error_messages={
            "required": gettext_lazy("Type a name, username or e-mail address to search."),
            "min_length": gettext_lazy("Type at least %(limit_value)d characters."),
            "max_length": gettext_lazy("Type at most %(limit_value)d characters."),
        },
    )


class GuardedMixin:
    """Refuse (a 403 in the admin's layout, through ``RefusalMixin``) without the permission;
    every response is personal data, kept by no cache."""

    #: Who may open the view.
    permitted = staticmethod(can_find_people)

    def dispatch(self, request, *args, **kwargs):
        if not self.permitted(request.user):
            raise NotPermitted
        return mark_personal(super().dispatch(request, *args, **kwargs))


class PersonDataView(RefusalMixin, GuardedMixin, WagtailAdminTemplateMixin, View):
    header_icon = "user"
    page_title = gettext_lazy("Personal data")
    #: Set by ``get_person`` for the breadcrumbs and the header.
    person = None

    def get_person(self):
        self.person = get_object_or_404(get_user_model(), pk=self.kwargs["pk"])
        return self.person

    def get_page_subtitle(self):
        return person_name(self.person) if self.person is not None else ""

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items]
        if self.person is None:
            return [*items, {"url": "", "label": self.get_page_title()}]
        items.append({"url": reverse("tyonohjaus_privacy:index"), "label": _("Personal data")})
        return [*items, *self.person_breadcrumbs()]

    def person_breadcrumbs(self):
        return [{"url": "", "label": person_name(self.person)}]

    def person_context(self):
        person = self.person
        held = holdings(person.pk)
        return {
            "person": person,
            "person_name": person_name(person),
            "holdings": [
                {"key": key, "label": label, "count": held["counts"].get(key, 0)}
                for key, label in HOLDING_LABELS
            ],
            "has_data": any(held["counts"].values()),
            "ends": held["ends"],
            "leaves": held["leaves"],
            "erased_at": held["erased_at"],
            "can_export": can_export_person_data(self.request.user),
            "can_erase": can_erase_person(self.request.user),
            "can_view_engagements": self.request.user.has_perm(VIEW_ENGAGEMENTS),
        }


class SearchView(PersonDataView):
    """Find a person by name, username or e-mail (every word must match one of them)."""

    template_name = "tyonohjaus_plugin/admin/privacy/search.html"

    def get(self, request):
        form = SearchForm(request.GET if "q" in request.GET else None)
        people = None
        if form.is_bound and form.is_valid():
            people = self.search(form.cleaned_data["q"])
        context = self.get_context_data(
            form=form,
            people=people[:SEARCH_LIMIT] if people is not None else None,
            more=people is not None and len(people) > SEARCH_LIMIT,
            limit=SEARCH_LIMIT,
        )
        return self.render_to_response(context, status=400 if form.errors else 200)

    def search(self, query):
        User = get_user_model()
        fields = ("first_name", "last_name", User.USERNAME_FIELD, User.get_email_field_name())
        person = OuterRef("pk")
        people = (
            User.objects.filter(words_match(query, fields))
            .annotate(
                in_applications=Exists(ApplicationParticipant.objects.filter(user=person)),
                in_engagements=Exists(EngagementParticipant.objects.filter(user=person)),
                with_profile=Exists(EmployeeProfile.objects.filter(user=person)),
                with_messages=Exists(
                    Delivery.objects.filter(
                        recipient=Concat(Value("u"), Cast(person, output_field=CharField()))
                    )
                ),
                erased_at=Subquery(
                    ErasureTombstone.objects.filter(user_id=person).values("erased_at")[:1]
                ),
            )
            .order_by("last_name", "first_name", User.USERNAME_FIELD, "pk")
        )
        people = list(people[: SEARCH_LIMIT + 1])
        for found in people:
            found.name = person_name(found)
            found.has_data = (
                found.in_applications
                or found.in_engagements
                or found.with_profile
                or found.with_messages
            )
        return people


class PersonView(PersonDataView):
    """What the plugin holds about one person, and what an erasure would end."""

    template_name = "tyonohjaus_plugin/admin/privacy/person.html"

    def get(self, request, pk):
        self.get_person()
        return self.render_to_response(self.get_context_data(**self.person_context()))


class ExportView(PersonDataView):
    """HR's export of a person's data: JSON or a page to print. One audit entry each."""

    permitted = staticmethod(can_export_person_data)
    template_name = "tyonohjaus_plugin/admin/privacy/person_export.html"
    #: "json" or "html"; set by the viewset's URL.
    format = "json"

    def get(self, request, pk):
        person = self.get_person()
        ExportPersonDataAction(person.pk, user=request.user, format=self.format).execute()
        data = export_person(person, for_hr=True)
        if self.format == "json":
            return _json(data, f"person-{person.pk}.json")
        context = {
            "data": data,
            "person_name": person_name(person),
            "produced_at": timezone.now(),
            "person_url": reverse("tyonohjaus_privacy:person", args=[person.pk]),
        }
        return TemplateResponse(request, self.template_name, context)


class EraseView(PersonDataView):
    """GET: what the erasure will do; POST (CSRF-protected): erase, then back to the person."""

    permitted = staticmethod(can_erase_person)
    template_name = "tyonohjaus_plugin/admin/privacy/erase_confirm.html"
    page_title = gettext_lazy("Erase a person's data")

    def person_breadcrumbs(self):
        person_url = reverse("tyonohjaus_privacy:person", args=[self.person.pk])
        return [
            {"url": person_url, "label": person_name(self.person)},
            {"url": "", "label": _("Erase the data")},
        ]

    def get_page_subtitle(self):
        return person_name(self.person)

    def get(self, request, pk):
        self.get_person()
        return self.render_to_response(self.get_context_data(**self.person_context()))

    def post(self, request, pk):
        person = self.get_person()
        person_url = reverse("tyonohjaus_privacy:person", args=[person.pk])
        with back_to(person_url):
            ErasePersonAction(person.pk, user=request.user).execute()
        messages.success(
            request,
            _(
                "The person's data was erased. They get no more messages from the service: "
                "tell them yourself that their request was carried out."
            ),
        )
        return redirect(person_url)
