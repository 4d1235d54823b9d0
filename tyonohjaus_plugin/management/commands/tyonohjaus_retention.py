import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from tyonohjaus_plugin.actions.run_retention import COUNT_KEYS, due_counts, run_retention
from tyonohjaus_plugin.models import AnonymisationTrigger

LABELS = {
    "free_text": "applications whose free text is emptied",
    "identities": "applications anonymised (people detached)",
    "evaluation_comments": "evaluation comments emptied",
    "feedback_comments": "feedback comments emptied",
    "audit_log_entries": "audit-log entries removed",
    "task_records": "background-task records removed",
}


def parse_now(value: str) -> datetime.datetime:
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise CommandError(f"--now: not a date or a date and time: {value!r}")
        moment = datetime.datetime.combine(day, datetime.time(12))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = (
        "Apply the retention policy (TYONOHJAUS_PLUGIN RETENTION_* settings): anonymise what "
        "is due. The same job runs hourly from a django-q2 schedule; running it again changes "
        "nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would change; change nothing."
        )
        parser.add_argument(
            "--now",
            help="Apply the policy as if it were this date (YYYY-MM-DD) or time (ISO 8601), "
            "e.g. to rehearse what the job will do later.",
        )

    def handle(self, *args, dry_run=False, now=None, **options):
        moment = parse_now(now) if now else timezone.now()
        if dry_run:
            counts = due_counts(moment)
            self.stdout.write(f"Dry run at {moment.isoformat()}: nothing changed.")
        else:
            counts = run_retention(moment, trigger=AnonymisationTrigger.COMMAND)
            self.stdout.write(f"Retention run at {moment.isoformat()}:")
        for key in COUNT_KEYS:
            self.stdout.write(f"  {LABELS[key]}: {counts[key]}")
