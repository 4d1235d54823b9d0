from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "example_site.home"
    label = "home"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from .translations import clear_language_versions

        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(clear_language_versions, dispatch_uid="home.clear_language_versions")
        post_delete.connect(clear_language_versions, dispatch_uid="home.clear_language_versions")
