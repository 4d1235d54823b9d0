"""Local development and `make demo`: debug on, e-mails written as files to read."""

import os
from pathlib import Path

from cryptography.fernet import Fernet

from .base import *  # noqa: F403
from .base import DATABASES, PROJECT_DIR, TYONOHJAUS_PLUGIN

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret-tyonohjaus")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", *env_list("ALLOWED_HOSTS")]  # noqa: F405
# Each e-mail (receipts, invitations with their links) lands as a file in sent-emails/.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = PROJECT_DIR / "sent-emails"


def dev_encryption_key(path: Path) -> str:
    """The key in ``path``, made once: a restart (or the worker) decrypts what was written."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as file:
        file.write(Fernet.generate_key().decode() + "\n")
    return path.read_text().strip()


# Without TYONOHJAUS_ENCRYPTION_KEYS: a key kept beside the SQLite database (db.sqlite3.key;
# delete both together), or in the checkout for another database.
if not TYONOHJAUS_PLUGIN["ENCRYPTION_KEYS"]:
    _database = DATABASES["default"]
    _key_file = (
        Path(f"{_database['NAME']}.key")
        if _database["ENGINE"] == "django.db.backends.sqlite3" and _database["NAME"] != ":memory:"
        else PROJECT_DIR / "dev-encryption.key"
    )
    TYONOHJAUS_PLUGIN = {**TYONOHJAUS_PLUGIN, "ENCRYPTION_KEYS": [dev_encryption_key(_key_file)]}
