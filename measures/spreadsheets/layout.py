"""The spreadsheet columns of measures and progress updates."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One column of a layout: `key` is the name in code, `header` the fixed text in row 1.

    Headers are part of the file format, not of the interface: they stay Dutch whatever the
    language of the page, so a file exported by anyone imports for everyone. Import accepts the
    header or the key, in any case.
    """

    key: str
    header: str
    imported: bool = True


# The measure layout. `status` holds the code (or, when typed by hand, a Dutch or English label);
# `status_label` is the readable Dutch label, used on import only when `status` is empty.
MEASURE_COLUMNS = (
    Column("id", "id"),
    Column("plan", "plan"),
    Column("action_line", "actielijn"),
    Column("theme", "thema"),
    Column("parent", "onderdeel van (id)"),
    Column("code", "nummer"),
    Column("title", "titel"),
    Column("description", "omschrijving"),
    Column("owner", "trekker"),
    Column("partners", "partners"),
    Column("status", "status"),
    Column("status_label", "status (tekst)"),
    Column("start_date", "startdatum"),
    Column("due_date", "uiterste datum"),
    Column("completed_date", "afgerond op"),
    Column("budget_eur", "budget (euro)"),
    Column("funder", "financier"),
    Column("countries", "landen"),
    Column("visibility", "zichtbaarheid"),
    Column("source_reference", "bron"),
    # The version the row was exported at: an import refuses a row whose measure was saved
    # since (someone else's change would be undone), unless told to overwrite.
    Column("version", "versie"),
)

# The progress-update layout (sheet "Voortgang" of the .xlsx, or a CSV file of its own). Rows
# without an id are new updates, logged with Measure.log_progress; rows with an id are updates
# that exist already and are left as they are. The last three columns are for reading only.
UPDATE_COLUMNS = (
    Column("id", "id"),
    Column("measure", "maatregel (id)"),
    Column("measure_title", "maatregel", imported=False),
    Column("date", "datum"),
    Column("status", "status na update"),
    Column("text", "voortgang"),
    Column("next_steps", "volgende stappen"),
    Column("include_in_letter", "in de brief"),
    Column("visibility", "zichtbaarheid"),
    Column("state", "goedkeuring", imported=False),
    Column("author", "auteur", imported=False),
    Column("organisation", "namens", imported=False),
)


def headers(columns):
    return [column.header for column in columns]
