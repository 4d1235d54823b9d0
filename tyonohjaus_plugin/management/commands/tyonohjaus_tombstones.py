import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from tyonohjaus_plugin.actions.erase_person import ErasePersonAction
from tyonohjaus_plugin.models import ErasureTombstone


class Command(BaseCommand):
    help = (
        "Erasure tombstones (user ids and times, no names). 'export' writes them as JSON: keep "
        "that file apart from the database backups. After restoring a backup, 'replay FILE' "
        "erases again what the backup still holds of those people, before the site goes live."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="command_name", required=True)
        sub.add_parser("export", help="Print the tombstones as JSON.")
        replay = sub.add_parser("replay", help="Replay the erasures listed in FILE.")
        replay.add_argument("file", help="A file written by 'export' ('-' reads standard input).")

    def handle(self, *args, command_name, **options):
        if command_name == "export":
            rows = [
                {"user_id": user_id, "erased_at": erased_at.isoformat()}
                for user_id, erased_at in ErasureTombstone.objects.order_by("pk").values_list(
                    "user_id", "erased_at"
                )
            ]
            json.dump({"tombstones": rows}, self.stdout, indent=2)
            self.stdout.write("")
            return
        path = options["file"]
        try:
            if path == "-":
                data = json.load(sys.stdin)
            else:
                with open(path, encoding="utf-8") as stream:
                    data = json.load(stream)
            rows = [
                (int(row["user_id"]), parse_datetime(row["erased_at"]))
                for row in data["tombstones"]
            ]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CommandError(f"Cannot read the tombstones: {exc}") from None
        if any(erased_at is None for _user, erased_at in rows):
            raise CommandError("Cannot read the tombstones: a time is not ISO 8601.")
        for user_id, erased_at in rows:
            action = ErasePersonAction(user_id, user=None, erased_at=erased_at)
            action.execute()
            self.stdout.write(f"user {user_id}: {action.counts}")
        self.stdout.write(f"Replayed {len(rows)} erasures.")
