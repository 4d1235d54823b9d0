"""Free text encrypted at rest: the applicants' answers, HR's notes and evaluation comments.

Fernet tokens (AES-128-CBC with an HMAC; ``cryptography``'s ``MultiFernet``) under a key list of
its own, ``TYONOHJAUS_PLUGIN["ENCRYPTION_KEYS"]``: the first key encrypts, every key decrypts, so a
key is rotated by putting a new one first, re-encrypting (``manage.py tyonohjaus_reencrypt``) and
then dropping the old one. The keys are never derived from ``SECRET_KEY`` (as
django-fernet-encrypted-fields does by default): rotating ``SECRET_KEY``, say after a leak, must
not make the data unreadable, and one leaked setting must not open both the sessions and the data.

Nothing searches, filters or sorts by these fields (the ciphertext is random each time):
``EncryptedTextField`` refuses every lookup but ``isnull`` and equality with "", so code that
tries fails loudly instead of silently finding nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.core import validators
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import DataError, models, transaction
from django.db.models.lookups import Exact, IsNull

from tyonohjaus_plugin.conf import SETTING_NAME, plugin_settings

#: Every Fernet token starts with these characters (version byte 0x80 and a timestamp's zeros).
TOKEN_PREFIX = "gAAAAA"  # noqa: S105 (not a password)

GENERATE_KEY_HINT = (
    'Generate a key with: python -c "from cryptography.fernet import Fernet; '
    'print(Fernet.generate_key().decode())"'
)


class UndecryptableValue(Exception):
    """A stored value is not a token under any of the configured keys."""


def key_problem(keys) -> str | None:
    """What is wrong with the key list, or ``None`` (by position: a key never appears in a
    message). The system check ``tyonohjaus_plugin.E009`` reports it at start-up."""
    if not isinstance(keys, list | tuple) or not keys:
        return f"{SETTING_NAME}['ENCRYPTION_KEYS'] must be a non-empty list of Fernet keys."
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            return (
                f"{SETTING_NAME}['ENCRYPTION_KEYS'] key number {position} is not a Fernet key "
                "(32 url-safe base64-encoded bytes)."
            )
    return None


_fernets: tuple[MultiFernet, Fernet] | None = None


def _keys() -> tuple[MultiFernet, Fernet]:
    """All the configured keys, and the first alone; built once (again after a settings
    change)."""
    global _fernets
    if _fernets is None:
        keys = plugin_settings.ENCRYPTION_KEYS
        problem = key_problem(keys)
        if problem:
            raise ImproperlyConfigured(f"{problem} {GENERATE_KEY_HINT}")
        each = [Fernet(key) for key in keys]
        _fernets = MultiFernet(each), each[0]
    return _fernets


def fernet() -> MultiFernet:
    return _keys()[0]


def _reset(*, setting: str, **kwargs) -> None:
    global _fernets
    if setting == SETTING_NAME:
        _fernets = None


setting_changed.connect(_reset, dispatch_uid="tyonohjaus_plugin.core.encryption.reset")


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode("utf-8")).decode("ascii")


def _undecryptable() -> UndecryptableValue:
    # Never the value itself in the message: it reaches logs.
    return UndecryptableValue(
        f"A stored value does not decrypt with any key in {SETTING_NAME}['ENCRYPTION_KEYS']: "
        "a key was removed before `manage.py tyonohjaus_reencrypt` ran, the keys belong to "
        "another installation, or the value was written unencrypted (run `manage.py migrate`)."
    )


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError):
        raise _undecryptable() from None


class EmptyOnlyExact(Exact):
    """Equality only with "" (empty answers stay empty in the database): a comparison with text
    would compare with a fresh random ciphertext and never match."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(
                f"{self.lhs.output_field.name} is encrypted: it can only be compared with ''."
            )
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token; read back as the text.

    "" stays "" and ``None`` stays ``None`` in the database, so "has the applicant answered" and
    "was it emptied" stay checkable with SQL without a key. ``max_length`` is enforced by the
    model's validation and the forms (the database only sees the longer ciphertext), and on
    every write: longer text raises ``DataError`` before it is encrypted, as the removed length
    constraint did.
    """

    description = "Text encrypted at rest"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        if self.max_length is not None and len(value) > self.max_length:
            raise DataError(f"{self.name}: text longer than {self.max_length} characters.")
        return encrypt(value)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return EmptyOnlyExact
        if lookup_name == "isnull":
            return IsNull
        return None  # Django then raises FieldError: unsupported lookup


# -- whole tables: the migration that encrypts existing rows, and key rotation ------------------


def encrypted_field_names(model) -> list[str]:
    return [
        field.name for field in model._meta.concrete_fields if isinstance(field, EncryptedTextField)
    ]


def _raw(name: str):
    """The column as stored: a plain text output field, so the value is not decrypted."""
    return models.ExpressionWrapper(models.F(name), output_field=models.TextField())


def raw_batches(
    model, names: list[str], *, batch_size: int = 500, lock: bool = True
) -> Iterator[list[tuple]]:
    """Rows ``(pk, value, value, ...)`` as stored, ``batch_size`` at a time, each batch read
    inside the caller's transaction with its rows locked (PostgreSQL), so an edit made meanwhile
    waits instead of being overwritten with the older text."""
    last = None
    while True:
        rows = model._base_manager.order_by("pk")
        if lock:
            rows = rows.select_for_update()
        if last is not None:
            rows = rows.filter(pk__gt=last)
        batch = list(rows.values_list("pk", *(_raw(name) for name in names))[:batch_size])
        if not batch:
            return
        yield batch
        last = batch[-1][0]


def write_raw(model, name: str, values: dict) -> None:
    """Store ``{pk: text}`` in column ``name`` as given (one UPDATE for the batch)."""
    if not values:
        return
    model._base_manager.filter(pk__in=list(values)).update(
        **{
            name: models.Case(
                *(
                    models.When(pk=pk, then=models.Value(text, output_field=models.TextField()))
                    for pk, text in values.items()
                ),
                output_field=models.TextField(),
            )
        }
    )


def convert_rows(
    model,
    names: list[str],
    convert: Callable[[str], str | None],
    *,
    batch_size: int = 500,
    lock: bool = True,
) -> tuple[int, int]:
    """Pass every non-empty stored value of ``names`` through ``convert`` (``None``: keep it) and
    store the result, one transaction per batch. Returns (rows, values changed)."""
    rows = changed = 0
    batches = raw_batches(model, names, batch_size=batch_size, lock=lock)
    while True:
        with transaction.atomic():
            batch = next(batches, None)
            if batch is None:
                return rows, changed
            rows += len(batch)
            for index, name in enumerate(names, start=1):
                values = {}
                for row in batch:
                    if row[index]:
                        new = convert(row[index])
                        if new is not None:
                            values[row[0]] = new
                write_raw(model, name, values)
                changed += len(values)


def _is_token(value: str) -> bool:
    try:
        fernet().decrypt(value.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True


def encrypt_plaintext(value: str) -> str | None:
    """For the migration that introduced encryption: plaintext encrypted, tokens left alone (so
    running it twice is harmless), a token under none of the keys refused."""
    if _is_token(value):
        return None
    if value.startswith(TOKEN_PREFIX) and len(value) >= 100:  # the shortest token is 100
        raise _undecryptable()  # a token under another key: never encrypt a ciphertext twice
    return encrypt(value)


def under_first_key(value: str) -> bool:
    """Whether a stored token is already encrypted with the first key."""
    try:
        _keys()[1].decrypt(value.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True


def rotate(value: str) -> str:
    """Re-encrypted with the first key (``MultiFernet.rotate``; raises ``UndecryptableValue``)."""
    try:
        return fernet().rotate(value.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeEncodeError):
        raise _undecryptable() from None
