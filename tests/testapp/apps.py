from django.apps import AppConfig


class TestAppConfig(AppConfig):
    """The site around the plugin in the tests: a home page model, base.html and URLs."""

    name = "tests.testapp"
    label = "tyonohjaus_plugin_testapp"
    default_auto_field = "django.db.models.BigAutoField"
