"""RELIABILITY test 18: the free text is encrypted at rest (SQLite, and PostgreSQL with
DATABASE_URL): raw SQL finds no plaintext, key rotation re-encrypts every value, and a missing
or wrong key fails clearly."""

import io

import pytest
from cryptography.fernet import Fernet, MultiFernet
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from tests.factories import ApplicationFactory, EvaluationAnswerFactory, UserFactory
from tests.utils import APPLICATION_FORM, group_for
from tyonohjaus_plugin.core import encryption
from tyonohjaus_plugin.core.encryption import TOKEN_PREFIX, UndecryptableValue
from tyonohjaus_plugin.models import Application, EvaluationAnswer
from tyonohjaus_plugin.models.applications import HR_NOTE_MAX_LENGTH

pytestmark = pytest.mark.django_db

APPLICATION_TEXT = {
    "situation": "Tiimini hajosi ja esihenkilö vaihtui kolmesti.",
    "goals": "Haluan jaksaa töissä ilman sairauslomaa.",
    "availability": "Tiistaisin aamupäivisin",
    "supervisor_wishes": "Ei Maija Meikäläistä",
    "off_round_reason": "Akuutti uupumus",
    "hr_note": "Puhelu työterveyshuollosta 3.12.",
}
COMMENT = "Esihenkilöni ei tukenut minua lainkaan."


def raw(model, names, pk):
    """The columns as the database holds them, read with plain SQL."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {quote(model._meta.db_table)} WHERE id = %s",  # noqa: S608
            [pk],
        )
        return dict(zip(names, cursor.fetchone(), strict=True))


def write_raw(model, pk, **values):
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(model._meta.get_field(name).column)} = %s" for name in values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE id = %s",  # noqa: S608
            [*values.values(), pk],
        )


@pytest.fixture
def stored():
    application = ApplicationFactory(round=None, **APPLICATION_TEXT)
    evaluation = EvaluationAnswerFactory(comment=COMMENT)
    return application, evaluation


def test_raw_sql_finds_no_plaintext_and_the_orm_reads_it_back(stored):
    application, evaluation = stored
    columns = {**raw(Application, list(APPLICATION_TEXT), application.pk)}
    columns["comment"] = raw(EvaluationAnswer, ["comment"], evaluation.pk)["comment"]
    texts = {**APPLICATION_TEXT, "comment": COMMENT}
    for name, value in columns.items():
        assert value.startswith(TOKEN_PREFIX), name
        for text in texts.values():
            for word in text.split():
                if len(word) > 3:
                    assert word not in value, (name, word)
    # Nothing is written twice the same way: no equal ciphertext gives equal texts away.
    again = ApplicationFactory(round=None, **APPLICATION_TEXT)
    first, second = (raw(Application, ["situation"], pk) for pk in (application.pk, again.pk))
    assert first != second
    fresh = Application.objects.get(pk=application.pk)
    assert {name: getattr(fresh, name) for name in APPLICATION_TEXT} == APPLICATION_TEXT
    assert EvaluationAnswer.objects.get(pk=evaluation.pk).comment == COMMENT
    assert list(Application.objects.filter(pk=application.pk).values_list("goals", flat=True)) == [
        APPLICATION_TEXT["goals"]
    ]


def test_empty_text_stays_empty_in_the_database():
    application = ApplicationFactory(situation="", goals="", hr_note="")
    assert raw(Application, ["situation", "goals", "hr_note"], application.pk) == {
        "situation": "",
        "goals": "",
        "hr_note": "",
    }
    assert Application.objects.filter(pk=application.pk, hr_note="").exists()


def test_searching_or_filtering_by_encrypted_text_is_refused(stored):
    with pytest.raises(FieldError):
        list(Application.objects.filter(situation__icontains="tiimi"))
    with pytest.raises(FieldError):
        list(Application.objects.filter(goals=APPLICATION_TEXT["goals"]))
    with pytest.raises(FieldError):
        list(EvaluationAnswer.objects.filter(comment__startswith="E"))
    assert Application.objects.exclude(hr_note="").count() == 1
    assert not Application.objects.filter(hr_note__isnull=True).exists()


def keys(settings, *keys):
    settings.TYONOHJAUS_PLUGIN = {**settings.TYONOHJAUS_PLUGIN, "ENCRYPTION_KEYS": list(keys)}


def reencrypt(*args):
    out = io.StringIO()
    call_command("tyonohjaus_reencrypt", *args, stdout=out)
    return out.getvalue()


def test_rotation_re_encrypts_every_value_with_the_new_key(settings, stored):
    application, evaluation = stored
    ApplicationFactory.create_batch(4, round=None, **APPLICATION_TEXT)
    ApplicationFactory(round=None, hr_note="")  # situation and goals; empties stay empty
    # 7 applications (the evaluation's engagement has one: situation and goals): 5 * 6 + 2 + 2.
    old = settings.TYONOHJAUS_PLUGIN["ENCRYPTION_KEYS"][0]
    new = Fernet.generate_key().decode()
    keys(settings, new, old)

    dry = reencrypt("--dry-run", "--batch-size", "2")
    assert "Application: 7 rows, 34 encrypted values, 34 under an older key" in dry
    assert "EvaluationAnswer: 1 rows, 1 encrypted values, 1 under an older key" in dry

    out = reencrypt("--batch-size", "2")
    assert "Application: 7 rows, 34 values re-encrypted with the first key (34 were" in out
    assert "EvaluationAnswer: 1 rows, 1 values re-encrypted with the first key (1 were" in out

    only_new = MultiFernet([Fernet(new)])
    stored_values = [
        value
        for pk in Application.objects.values_list("pk", flat=True)
        for value in raw(Application, list(APPLICATION_TEXT), pk).values()
        if value
    ] + [raw(EvaluationAnswer, ["comment"], evaluation.pk)["comment"]]
    assert len(stored_values) == 35
    decrypted = [only_new.decrypt(value.encode()).decode() for value in stored_values]  # 100 %
    assert decrypted.count(COMMENT) == 1 and decrypted.count(APPLICATION_TEXT["goals"]) == 5

    # Run again: every value again, harmlessly, none under the old key any more.
    assert "(0 were under an older key)" in reencrypt()
    keys(settings, new)  # the old key removed
    assert Application.objects.get(pk=application.pk).situation == APPLICATION_TEXT["situation"]
    assert "0 under an older key" in reencrypt("--dry-run")


def test_a_wrong_key_fails_clearly_and_never_returns_ciphertext(settings, stored):
    application, _evaluation = stored
    keys(settings, Fernet.generate_key().decode())
    with pytest.raises(UndecryptableValue, match="does not decrypt with any key") as error:
        Application.objects.get(pk=application.pk)
    assert "Tiimi" not in str(error.value)
    with pytest.raises(UndecryptableValue):
        reencrypt()
    with pytest.raises(UndecryptableValue):
        reencrypt("--dry-run")


@pytest.mark.parametrize("value", [[], ["not-a-key"]])
def test_reading_or_writing_without_a_valid_key_fails_clearly(settings, value):
    keys(settings, *value)
    with pytest.raises(ImproperlyConfigured, match="ENCRYPTION_KEYS.*Fernet.generate_key"):
        ApplicationFactory()


def migration_module():
    """The migration that introduced encryption, whatever its number."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    (module,) = (
        migration
        for (app, name), migration in loader.disk_migrations.items()
        if app == "tyonohjaus_plugin" and name.endswith("_encrypted_free_text")
    )
    return __import__(type(module).__module__, fromlist=["encrypt_existing"])


def test_the_migration_encrypts_plaintext_rows_and_back(stored):
    from django.apps import apps

    application, evaluation = stored
    empty = ApplicationFactory(round=None, situation="", goals="")
    write_raw(Application, application.pk, **APPLICATION_TEXT)  # as before the migration
    write_raw(EvaluationAnswer, evaluation.pk, comment=COMMENT)
    migration = migration_module()

    migration.encrypt_existing(apps, None)
    for name, value in raw(Application, list(APPLICATION_TEXT), application.pk).items():
        assert value.startswith(TOKEN_PREFIX)
        assert encryption.decrypt(value) == APPLICATION_TEXT[name]
    comment = raw(EvaluationAnswer, ["comment"], evaluation.pk)["comment"]
    assert encryption.decrypt(comment) == COMMENT
    assert raw(Application, ["situation", "goals"], empty.pk) == {"situation": "", "goals": ""}
    before = raw(Application, list(APPLICATION_TEXT), application.pk)
    migration.encrypt_existing(apps, None)  # a re-run leaves tokens alone
    assert raw(Application, list(APPLICATION_TEXT), application.pk) == before

    migration.decrypt_existing(apps, None)
    assert raw(Application, list(APPLICATION_TEXT), application.pk) == APPLICATION_TEXT
    assert raw(EvaluationAnswer, ["comment"], evaluation.pk) == {"comment": COMMENT}


def test_the_migration_never_encrypts_a_token_of_another_key_twice(stored):
    from django.apps import apps

    application, _evaluation = stored
    foreign = Fernet(Fernet.generate_key()).encrypt(b"toisen avaimen teksti").decode()
    write_raw(Application, application.pk, hr_note=foreign)
    with pytest.raises(UndecryptableValue):
        migration_module().encrypt_existing(apps, None)
    assert raw(Application, ["hr_note"], application.pk) == {"hr_note": foreign}


def test_what_is_typed_on_the_forms_is_stored_encrypted(client, open_service_page):
    """Through HTTP: the employee's application form, then HR's note in Wagtail admin (its limit
    is the form's, now that the database holds ciphertext)."""
    employee = UserFactory()
    client.force_login(employee)
    typed = {**APPLICATION_FORM, "situation": "Salainen tilanne", "availability": "Perjantaisin"}
    assert client.post(f"/fi/hr/apply/{open_service_page.pk}/", typed).status_code == 303
    application = Application.objects.get()
    columns = raw(Application, ["situation", "goals", "availability"], application.pk)
    assert all(value.startswith(TOKEN_PREFIX) for value in columns.values())
    assert "Salainen" not in str(columns) and "Perjantai" not in str(columns)

    hr = UserFactory()
    hr.groups.add(group_for("hr"))
    client.force_login(hr)
    edit = f"/admin/tyonohjaus/applications/edit/{application.pk}/"
    assert client.post(edit, {"hr_note": "Soitettu, odottaa"}).status_code == 302
    assert raw(Application, ["hr_note"], application.pk)["hr_note"].startswith(TOKEN_PREFIX)
    inspect = client.get(f"/admin/tyonohjaus/applications/inspect/{application.pk}/")
    assert "Soitettu, odottaa" in inspect.content.decode()
    too_long = client.post(edit, {"hr_note": "ä" * (HR_NOTE_MAX_LENGTH + 1)})
    assert too_long.status_code == 200 and "hr_note" in too_long.context["form"].errors
    assert Application.objects.get().hr_note == "Soitettu, odottaa"
