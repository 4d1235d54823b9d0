import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_missing_migrations():
    """Model changes without a migration fail here as well as in CI."""
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    except SystemExit as exc:  # raised with code 1 when a migration is missing
        pytest.fail(f"makemigrations --check found changes without a migration ({exc})")


def test_migrations_stay_portable_to_wagtail_7():
    """Wagtail 8's makemigrations writes things Wagtail 7 lacks; scripts/portable_migrations.py
    rewrites them. This fails if a new migration was committed without that step."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    offenders = []
    for path in [
        *root.glob("*/migrations/0*.py"),
        *root.glob("example_site/*/migrations/0*.py"),
        *root.glob("tests/testapp/migrations/0*.py"),
    ]:
        text = path.read_text()
        if (
            "modelsearch" in text
            or "swappable_dependency(settings.WAGTAIL_PAGE_MODEL)" in text
            or "to=settings.WAGTAIL_PAGE_MODEL" in text
            or re.search(r"\('wagtailcore', '0(09[5-9]|1\d\d)_", text)
        ):
            offenders.append(path.name)
    assert offenders == []
