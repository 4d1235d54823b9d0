"""Database helpers that must behave the same on PostgreSQL and SQLite."""

from django.db import connection
from django.utils import timezone


def transaction_started_at():
    """The instant the current transaction started, by the database's clock where it has one.

    PostgreSQL: ``transaction_timestamp()``, the same value for every statement of the
    transaction. SQLite (``transaction_mode = "IMMEDIATE"``): writers are serialised from the
    start of their transaction, so the application clock read right after ``BEGIN`` serves.
    Call it first thing inside ``transaction.atomic()``.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT transaction_timestamp()")
            return cursor.fetchone()[0]
    return timezone.now()


def clock_now():
    """The database's wall clock now (``clock_timestamp()``), for stamping a round's close."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT clock_timestamp()")
            return cursor.fetchone()[0]
    return timezone.now()
