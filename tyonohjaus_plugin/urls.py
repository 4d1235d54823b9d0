"""Public URLs of the plugin. Include them inside ``i18n_patterns`` (see README)."""

app_name = "tyonohjaus_plugin"

urlpatterns: list = []
