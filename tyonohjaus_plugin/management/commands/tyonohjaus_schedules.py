from django.core.management.base import BaseCommand

from tyonohjaus_plugin.jobs import ensure_schedules


class Command(BaseCommand):
    help = "Create or update the plugin's django-q2 schedules (safe to run any number of times)."

    def handle(self, *args, **options):
        for name, outcome in ensure_schedules().items():
            self.stdout.write(f"{name}: {outcome}")
