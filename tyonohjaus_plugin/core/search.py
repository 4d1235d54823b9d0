"""One way to search by what a person types: every word must match one of the fields."""

from django.db.models import Q


def words_match(query: str, fields, lookup: str = "icontains") -> Q:
    """``Q`` where each word of ``query`` matches at least one of ``fields`` ("Aino Lehto")."""
    condition = Q()
    for word in query.split():
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__{lookup}": word})
        condition &= any_field
    return condition
