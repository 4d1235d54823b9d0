"""The tests of the example project: the plugin's test settings with ``example_site.home``
(its home page, base.html with the language switcher, the demo loader) instead of the test app.

Run them with ``pytest --ds=tests.example.settings tests/example`` (``make test`` does).
"""

from tests.settings import *  # noqa: F403
from tests.settings import BASE_DIR, INSTALLED_APPS

INSTALLED_APPS = ["example_site.home" if app == "tests.testapp" else app for app in INSTALLED_APPS]
ROOT_URLCONF = "example_site.urls"
LOCALE_PATHS = [BASE_DIR.parent / "example_site" / "locale"]

# The tests load the demo (load_demo_data refuses where DEBUG is off unless this says so).
DEMO_DATA_ALLOWED = True
