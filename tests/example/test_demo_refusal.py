"""The demo loader never runs on production settings by accident (its logins are published)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError


def test_demo_data_refuses_settings_that_do_not_allow_it(db, settings):
    """Production settings (DEBUG off, no DEMO_DATA_ALLOWED) never get the demo's known logins."""
    del settings.DEMO_DATA_ALLOWED
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEMO_DATA_ALLOWED"):
        call_command("load_demo_data", stdout=io.StringIO())
    assert not get_user_model().objects.filter(username="admin").exists()
    call_command("load_demo_data", "--force", stdout=io.StringIO())
    assert get_user_model().objects.filter(username="admin").exists()
