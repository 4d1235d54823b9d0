import pytest
from django.test import override_settings

from tyonohjaus_plugin.conf import DEFAULTS, plugin_settings


def test_defaults_apply_without_site_settings(settings):
    settings.TYONOHJAUS_PLUGIN = None
    assert plugin_settings.BASE_TEMPLATE == DEFAULTS["BASE_TEMPLATE"] == "base.html"
    assert plugin_settings.SHOW_SHARE_CONTROL is True


def test_site_settings_override_defaults_and_reload_on_change():
    with override_settings(TYONOHJAUS_PLUGIN={"BASE_TEMPLATE": "intranet/base.html"}):
        assert plugin_settings.BASE_TEMPLATE == "intranet/base.html"
        assert plugin_settings.SHOW_SHARE_CONTROL is True
    assert plugin_settings.BASE_TEMPLATE == "base.html"


def test_unknown_setting_name_raises():
    with pytest.raises(AttributeError, match="NO_SUCH_SETTING"):
        plugin_settings.NO_SUCH_SETTING  # noqa: B018


def test_unknown_keys_are_listed():
    with override_settings(TYONOHJAUS_PLUGIN={"BASE_TEMPLATE": "x.html", "TYPO": 1}):
        assert plugin_settings.unknown_keys() == ["TYPO"]
