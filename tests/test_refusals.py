"""The one refusal path: actions raise ``ActionRefused`` (a translated message and an HTTP
status), views answer it in one place; page privacy follows aliases to their source page."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils import translation
from wagtail.models import PageViewRestriction

from tests.factories import UserFactory
from tyonohjaus_plugin.actions.base import Action, ActionRefused, NotPermitted
from tyonohjaus_plugin.actions.change_application_status import NOT_ALLOWED, StatusChangeRefused
from tyonohjaus_plugin.actions.matching_refused import NO_ROOM, MatchingRefused
from tyonohjaus_plugin.core.views import admin_view, back_to, page_is_viewable, public_view
from tyonohjaus_plugin.models import FeedbackResponse


def test_a_refusal_speaks_the_language_it_is_shown_in():
    refusal = MatchingRefused(NO_ROOM)
    with translation.override("en"):
        assert str(refusal.message) == "The supervisor has no free place."
    with translation.override("fi"):
        assert str(refusal.message) != "The supervisor has no free place."
    assert refusal.status == 409 and refusal.reason == NO_ROOM


def test_a_refusal_fills_in_its_parameters_in_the_reader_s_language():
    refusal = StatusChangeRefused(NOT_ALLOWED, source="submitted", target="completed")
    with translation.override("en"):
        assert str(refusal) == "The application cannot move from “Submitted” to “Completed”."
    with translation.override("sv"):
        assert "Submitted" not in str(refusal)


def test_not_permitted_is_a_permission_denied_with_403():
    assert issubclass(NotPermitted, PermissionDenied)
    assert NotPermitted().status == 403


class _Refusing(Action):
    def __init__(self, refusal):
        super().__init__()
        self.refusal = refusal

    def perform(self):
        raise self.refusal


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("refusal", "status"),
    [(MatchingRefused(NO_ROOM), 409), (NotPermitted(), 403), (ActionRefused("x"), 409)],
)
def test_admin_views_answer_every_refusal_in_one_place(refusal, status):
    @admin_view
    def view(request):
        with back_to("/admin/somewhere/"):
            _Refusing(refusal).execute()

    request = RequestFactory().post("/admin/x/")
    request.user = UserFactory()
    response = view(request)
    assert response.status_code == status
    if status == 409:
        response.render()
        assert 'href="/admin/somewhere/"' in response.content.decode()


@pytest.mark.django_db
def test_public_views_show_the_refusal_s_title_and_message():
    @public_view
    def view(request):
        raise MatchingRefused(NO_ROOM)

    request = RequestFactory().post("/fi/x/")
    request.user = UserFactory()
    with translation.override("en"):
        response = view(request)
        response.render()
    assert response.status_code == 409
    assert "The supervisor has no free place." in response.content.decode()


@pytest.mark.django_db
def test_an_alias_of_a_private_page_is_private_too(client, service_pages, homes):
    source = service_pages["fi"]
    PageViewRestriction.objects.create(page=source, restriction_type=PageViewRestriction.LOGIN)
    alias = source.create_alias(parent=homes["fi"], update_slug="alias-of-service")
    anonymous = RequestFactory().get("/")
    anonymous.session = {}
    from django.contrib.auth.models import AnonymousUser

    anonymous.user = AnonymousUser()
    assert not page_is_viewable(source, anonymous)
    assert not page_is_viewable(alias, anonymous)
    assert list(alias.get_view_restrictions()) == list(source.get_view_restrictions())
    response = client.post(f"/fi/hr/feedback/{alias.pk}/", {"answer": "yes"})
    assert response.status_code == 404
    assert FeedbackResponse.objects.count() == 0
