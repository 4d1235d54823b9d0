"""An internal supervisor keeps their own weekly availability and periods without meetings
("My availability"); HR edits them for everyone on the supervisor form (the same InlinePanels).

Wagtail's generic edit view on the user's own ``Supervisor`` row, with only these two panels: a
user who is not a supervisor gets a 404 and never sees the menu item.
"""

from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSet

from tyonohjaus_plugin.models import Supervisor


def availability_panels():
    return [
        InlinePanel(
            "availability",
            panels=[
                FieldPanel("weekday"),
                FieldPanel("starts"),
                FieldPanel("ends"),
                FieldPanel("location"),
            ],
            heading=_("Weekly availability"),
            label=_("Time window"),
            help_text=_(
                "When first meetings may be proposed (Finnish time). None: any time within "
                "working hours on working days."
            ),
        ),
        InlinePanel(
            "blocked_periods",
            panels=[FieldPanel("first_day"), FieldPanel("last_day")],
            heading=_("Periods without meetings"),
            label=_("Period"),
            help_text=_("Holidays, courses and other days without supervision meetings."),
        ),
    ]


def own_supervisor(user):
    if not user.is_active:
        return None
    return Supervisor.objects.filter(user_id=user.pk, active=True).first()


class MyAvailabilityView(generic.EditView):
    model = Supervisor
    page_title = _("My availability")
    success_message = _("Your availability was saved.")
    permission_policy = None
    header_icon = "time"
    url_name = "tyonohjaus_my_availability:edit"

    def get_panel(self):
        return ObjectList(availability_panels()).bind_to_model(Supervisor)

    def get_object(self, queryset=None):
        supervisor = own_supervisor(self.request.user)
        if supervisor is None:
            raise Http404
        return supervisor

    def get_edit_url(self):
        return reverse(self.url_name)

    def get_success_url(self):
        return reverse(self.url_name)

    def get_delete_url(self):
        return None

    def get_history_url(self):
        return None

    def get_page_subtitle(self):
        return self.object.display_name

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_success_buttons(self):
        return []


class MyAvailabilityMenuItem(MenuItem):
    def __init__(self, *args, shown_to, **kwargs):
        super().__init__(*args, **kwargs)
        self.shown_to = shown_to

    def is_shown(self, request):
        return self.shown_to(request.user)


class MyAvailabilityViewSet(ViewSet):
    name = "tyonohjaus_my_availability"
    url_prefix = "tyonohjaus/my-availability"
    icon = "time"
    menu_label = _("My availability")
    add_to_admin_menu = True
    menu_order = 260

    def __init__(self, *args, shown_to=lambda user: own_supervisor(user) is not None, **kwargs):
        # The registration passes the check the engagements menu asks anyway (remembered on the
        # request's user): no query of its own on every admin page.
        super().__init__(*args, **kwargs)
        self.shown_to = shown_to

    def get_urlpatterns(self):
        return [path("", MyAvailabilityView.as_view(), name="edit")]

    def get_menu_item(self, order=None):
        return MyAvailabilityMenuItem(
            self.menu_label,
            reverse("tyonohjaus_my_availability:edit"),
            name="tyonohjaus-my-availability",
            icon_name=self.icon,
            order=order or self.menu_order,
            shown_to=self.shown_to,
        )
