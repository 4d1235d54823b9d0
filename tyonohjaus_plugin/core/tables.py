"""Columns shared by the plugin's Wagtail listings."""

from wagtail.admin.ui.tables import BooleanColumn, Column


class DateTimeColumn(Column):
    """A date and time in one format on every plugin screen (``SHORT_DATETIME_FORMAT``, local
    time) inside ``<time>``, or "—" when there is none. Wagtail's ``DateColumn`` shows relative
    times ("3 days ago"), which reads badly for meetings ahead."""

    cell_template_name = "tyonohjaus_plugin/admin/tables/datetime_cell.html"


class StateColumn(Column):
    """A state as Wagtail's status tag."""

    cell_template_name = "tyonohjaus_plugin/admin/status_cell.html"


class YesNoColumn(BooleanColumn):
    """Wagtail's tick/cross column, its icon titled "Yes"/"No" in the reader's language
    (Wagtail's reads "True"/"False" in every language)."""

    cell_template_name = "tyonohjaus_plugin/admin/tables/yes_no_cell.html"
