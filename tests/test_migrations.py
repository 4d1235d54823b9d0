import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_missing_migrations():
    """Model changes without a migration fail here as well as in CI."""
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    except SystemExit as exc:  # raised with code 1 when a migration is missing
        pytest.fail(f"makemigrations --check found changes without a migration ({exc})")
