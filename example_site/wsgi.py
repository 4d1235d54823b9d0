import os

from django.core.wsgi import get_wsgi_application

from example_site import settings_module

# The same choice as manage.py (DJANGO_ENV), so web and workers never disagree.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module())

application = get_wsgi_application()
