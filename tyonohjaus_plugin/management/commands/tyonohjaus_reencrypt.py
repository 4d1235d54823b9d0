from django.apps import apps
from django.core.management.base import BaseCommand

from tyonohjaus_plugin.core import encryption


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted text with the first of ENCRYPTION_KEYS (key rotation: put the "
        "new key first, restart the web and the workers, run this, then remove the old key). "
        "Safe to run any number of times."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count, and check that every value decrypts with the keys.",
        )
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, dry_run=False, batch_size=500, **options):
        for model in apps.get_app_config("tyonohjaus_plugin").get_models():
            names = encryption.encrypted_field_names(model)
            if not names:
                continue
            values = older = 0

            def convert(value):
                nonlocal values, older
                values += 1
                older += not encryption.under_first_key(value)
                if dry_run:
                    encryption.decrypt(value)  # raises UndecryptableValue: a key is missing
                    return None
                return encryption.rotate(value)

            rows, changed = encryption.convert_rows(
                model, names, convert, batch_size=batch_size, lock=not dry_run
            )
            label = model._meta.object_name
            if dry_run:
                self.stdout.write(
                    f"{label}: {rows} rows, {values} encrypted values, "
                    f"{older} under an older key (dry run: nothing written)."
                )
            else:
                self.stdout.write(
                    f"{label}: {rows} rows, {changed} values re-encrypted with the first key "
                    f"({older} were under an older key)."
                )
