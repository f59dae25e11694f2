"""Hostile spreadsheets are refused early, within bounded memory, by the import's own counting
(security review finding 6): the declared dimension of an .xlsx is never trusted, blank rows count
towards the row limit, and a huge cell is refused before it is read.

The files are built here (zipfile), small on disk. Memory is measured with tracemalloc (the peak
of what Python allocated while reading); time is not asserted (no timed tests): the message names
the limit that stopped the reading, which shows it stopped there."""

import io
import tracemalloc
import zipfile

import pytest

from measures.spreadsheets import files
from measures.spreadsheets.imports import ImportRefused, import_file

pytestmark = pytest.mark.usefixtures("english")  # the English source strings (conftest)

MB = 1024 * 1024
PEAK_LIMIT = 200 * MB
SHEET = "xl/worksheets/sheet1.xml"
HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>titel</t></is></c></row>'


def workbook_with(parts):
    """Return an .xlsx: a real export whose parts (name → bytes, or an iterator of byte chunks
    written as they come) are replaced or added."""
    good = files.write_xlsx([("Maatregelen", ["titel"], [["x"]])])
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(good)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            if item.filename not in parts:
                target.writestr(item, source.read(item.filename))
        for name, content in parts.items():
            with target.open(name, "w", force_zip64=True) as member:
                for chunk in [content] if isinstance(content, bytes) else content:
                    member.write(chunk)
    return out.getvalue()


def sheet(rows_xml, dimension="A1"):
    head = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet '
        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>'
    ).encode()
    yield head
    yield from rows_xml
    yield b"</sheetData></worksheet>"


def sparse_far_xfd():
    """5 KB: a declared dimension of A1:XFD1048576, a header and one cell far away."""
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return workbook_with({SHEET: sheet([HEADER_ROW.encode(), far.encode()], "A1:XFD1048576")})


def many_columns():
    """A header row with a cell in every one of the 16,384 columns."""
    letters = [
        "".join(chr(65 + d) for d in digits)
        for digits in (
            [i] if i < 26 else [i // 26 - 1, i % 26] if i < 702 else [(i - 702) // 676, 0, 0]
            for i in range(16384)
        )
    ]
    cells = "".join(f'<c r="{c}1" t="inlineStr"><is><t>k</t></is></c>' for c in letters)
    return workbook_with({SHEET: sheet([f'<row r="1">{cells}</row>'.encode()])})


def huge_shared_string(megabytes=400, block=MB):
    """About 400 KB packed: one shared string of `megabytes` blocks of a MB."""

    def chunks():
        yield b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
        yield b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>'
        for _ in range(megabytes):
            yield b"A" * block
        yield b"</t></si></sst>"

    row = '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return workbook_with(
        {"xl/sharedStrings.xml": chunks(), SHEET: sheet([HEADER_ROW.encode(), row.encode()])}
    )


def long_inline_cell(chars=150_000):
    row = f'<row r="2"><c r="A2" t="inlineStr"><is><t>{"A" * chars}</t></is></c></row>'
    return workbook_with({SHEET: sheet([HEADER_ROW.encode(), row.encode()])})


def blank_rows(count=1_000_000, cell=True):
    """A million rows holding nothing but a space (or nothing at all)."""

    def rows():
        yield HEADER_ROW.encode()
        for start in range(2, count + 2, 10_000):
            if cell:
                yield "".join(
                    f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t> </t></is></c></row>'
                    for n in range(start, min(start + 10_000, count + 2))
                ).encode()
            else:
                yield "".join(
                    f'<row r="{n}"/>' for n in range(start, min(start + 10_000, count + 2))
                ).encode()

    return workbook_with({SHEET: sheet(rows())})


def refused(data, name="hostile.xlsx"):
    """Import `data`; return the refusal's text and the peak of memory allocated meanwhile."""
    tracemalloc.start()
    try:
        with pytest.raises(ImportRefused) as refusal:
            import_file(data, name, by=None, dry_run=True)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return str(refusal.value), peak


@pytest.mark.django_db
def test_a_small_file_declaring_a_huge_sheet_is_refused_at_the_row_limit():
    data = sparse_far_xfd()
    assert len(data) < 8 * 1024
    text, peak = refused(data)
    assert "more than 5000 rows" in text
    assert peak < PEAK_LIMIT


@pytest.mark.django_db
def test_a_row_with_thousands_of_columns_is_refused_at_the_column_limit():
    text, peak = refused(many_columns())
    assert "beyond column 60" in text
    assert peak < PEAK_LIMIT


@pytest.mark.django_db
def test_a_400_mb_shared_string_is_refused_before_it_is_unpacked():
    data = huge_shared_string()
    assert len(data) < 1 * MB
    text, peak = refused(data)
    assert "unpacks to more than 50 MB" in text
    assert peak < 10 * MB


@pytest.mark.django_db
def test_a_cell_longer_than_any_field_is_refused_while_it_is_read():
    text, peak = refused(long_inline_cell())
    assert "more than 100000 characters" in text
    assert peak < PEAK_LIMIT


@pytest.mark.django_db
def test_a_shared_string_longer_than_any_field_is_refused_while_it_is_read(settings):
    settings.TRACKER_MAX_IMPORT_CELL_CHARS = 1000
    text, _peak = refused(huge_shared_string(megabytes=1, block=500_000))
    assert "more than 1000 characters" in text


@pytest.mark.django_db
def test_a_million_blank_rows_are_refused_at_the_row_limit():
    data = blank_rows()
    text, peak = refused(data)
    assert "more than" in text  # the parts' size or the row count, whichever comes first
    assert peak < PEAK_LIMIT


@pytest.mark.django_db
def test_a_million_empty_row_elements_are_counted_and_refused_at_the_row_limit():
    data = blank_rows(cell=False)
    text, peak = refused(data)
    assert "more than 5000 rows (blank rows included)" in text
    assert peak < PEAK_LIMIT


@pytest.mark.django_db
def test_blank_csv_lines_count_towards_the_row_limit():
    data = b"titel\n" + b";\n" * 1_000_000
    text, peak = refused(data[: 5 * MB], "blank.csv")
    assert "more than 5000 rows" in text
    assert peak < PEAK_LIMIT


@pytest.mark.django_db
def test_a_csv_line_with_thousands_of_cells_is_refused_at_the_column_limit():
    text, _peak = refused(b"titel" + b";" * 100_000 + b"\n", "wide.csv")
    assert "beyond column 60" in text


@pytest.mark.django_db
def test_a_csv_cell_longer_than_any_field_is_refused():
    text, _peak = refused(b"titel\n" + b"A" * 150_000 + b"\n", "long.csv")
    assert "could not be read" in text or "more than 100000 characters" in text
