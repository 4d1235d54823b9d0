from wagtail.models import Page


class HomePage(Page):
    """The site's front page: the service pages live under it."""

    template = "tyonohjaus_plugin_testapp/home_page.html"
