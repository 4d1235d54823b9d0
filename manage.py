#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    from example_site import settings_module

    # DJANGO_ENV chooses, as in wsgi.py (example_site.settings_module).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module())
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
