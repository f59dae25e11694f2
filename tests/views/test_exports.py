"""Downloads from the pages: the measure list, the change feed and the commitments register, each
as .xlsx and CSV, with the page's filters, neutralised formulas and the reader's access."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from measures.models import Measure, MeasureStatus
from measures.spreadsheets.files import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from tests.commitment_data import open_commitment
from tests.views.test_commitment_list import make_commitments

pytestmark = pytest.mark.usefixtures("english")  # the English source strings (conftest)


FORMULA = '=HYPERLINK("http://evil.example","klik")'
LIST = reverse("measures:list")
CHANGES = reverse("measures:changes")
COMMITMENTS = reverse("measures:commitments")


def xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def csv_rows(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def rows_of(response, fmt):
    return xlsx_rows(response) if fmt == "xlsx" else csv_rows(response)


def cells(rows):
    return {str(cell) for row in rows for cell in row if cell is not None}


CONTENT_TYPES = {"xlsx": XLSX_CONTENT_TYPE, "csv": CSV_CONTENT_TYPE}


@pytest.fixture
def formula_measure(measure, alice):
    measure.title = FORMULA
    measure._history_user = alice
    measure.save()
    return measure


# --- The links on the pages ---------------------------------------------------------------------


def test_the_measure_list_links_both_downloads_with_its_filters(client, vera, measure):
    client.force_login(vera)
    content = client.get(LIST, {"status": "in_progress", "q": "hand"}).content.decode()
    for fmt in ("xlsx", "csv"):
        url = reverse("measures:measure_export", kwargs={"fmt": fmt})
        assert f'href="{url}?status=in_progress&amp;q=hand"' in content


def test_the_change_feed_links_both_downloads_with_its_filters(client, vera, measure):
    client.force_login(vera)
    content = client.get(CHANGES, {"kind": "measure"}).content.decode()
    assert 'href="?kind=measure&amp;format=xlsx"' in content
    assert 'href="?kind=measure&amp;format=csv"' in content


def test_the_register_links_both_downloads_with_its_filters(client, vera, db):
    client.force_login(vera)
    content = client.get(COMMITMENTS, {"status": "open"}).content.decode()
    assert 'href="?status=open&amp;format=xlsx"' in content
    assert 'href="?status=open&amp;format=csv"' in content


def test_without_filters_the_links_carry_only_the_format(client, vera, db):
    client.force_login(vera)
    content = client.get(COMMITMENTS).content.decode()
    assert 'href="?format=xlsx"' in content


# --- The measure list ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_measure_download_keeps_the_filters_and_neutralises_formulas(
    client, vera, formula_measure, prosecution, fmt
):
    Measure.objects.create(
        plan=formula_measure.plan,
        theme=formula_measure.theme,
        title="Snellere vervolging",
        owner=prosecution,
        status=MeasureStatus.DELAYED,
    )
    client.force_login(vera)
    url = reverse("measures:measure_export", kwargs={"fmt": fmt})
    response = client.get(url, {"owner": formula_measure.owner.pk})
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    found = cells(rows_of(response, fmt))
    assert "'" + FORMULA in found
    assert FORMULA not in found
    assert "Snellere vervolging" not in found


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_viewer_never_downloads_a_confidential_measure(client, vera, measure, confidential, fmt):
    client.force_login(vera)
    response = client.get(reverse("measures:measure_export", kwargs={"fmt": fmt}))
    found = cells(rows_of(response, fmt))
    assert measure.title in found
    assert confidential.title not in found


# --- The change feed ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_change_download_keeps_the_filter_and_neutralises_formulas(
    client, alice, formula_measure, fmt
):
    client.force_login(alice)
    response = client.get(CHANGES, {"kind": "measure", "format": fmt})
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    assert "attachment" in response["Content-Disposition"]
    rows = rows_of(response, fmt)
    assert rows[0][:2] == ["Date and time", "Changed by"]
    kinds = {row[4] for row in rows[1:]}
    assert kinds == {"Measure"}
    titles = [row[9] for row in rows[1:] if row[7] == "title"]
    assert titles[0] == "'" + FORMULA  # newest first: the change to the formula


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_viewer_never_downloads_changes_to_a_confidential_measure(
    client, vera, measure, confidential, fmt
):
    client.force_login(vera)
    found = cells(rows_of(client.get(CHANGES, {"format": fmt}), fmt))
    assert measure.title in found
    assert confidential.title not in found


# --- The commitments register -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_register_download_keeps_the_filters_and_neutralises_formulas(client, vera, db, fmt):
    import datetime

    open_commitment("T-1", datetime.date(2014, 1, 2), title=FORMULA)
    open_commitment("T-2", datetime.date(2030, 1, 2), title="Later rapporteren")
    client.force_login(vera)
    response = client.get(COMMITMENTS, {"due_to": "2020-01-01", "format": fmt})
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    rows = rows_of(response, fmt)
    assert rows[0][:3] == ["Number", "Kind", "Subject"]
    assert [row[2] for row in rows[1:]] == ["'" + FORMULA]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_viewer_never_sees_a_confidential_measure_in_the_register_download(
    client, vera, measure, confidential, fmt
):
    import datetime

    commitment = open_commitment("T-1", datetime.date(2014, 1, 2))
    commitment.measures.add(measure, confidential)
    client.force_login(vera)
    rows = rows_of(client.get(COMMITMENTS, {"format": fmt}), fmt)
    assert rows[1][-1] == str(measure)
    assert confidential.title not in cells(rows)


# --- Query counts -------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_measure_download_query_count_does_not_grow(
    client, bob, programme, size, fmt, django_assert_num_queries
):
    programme(size)
    client.force_login(bob)
    # 1 session, 2 user, 3 groups, 4 profile, 5 organisation (visible_to), 6 measures with their
    # related rows, 7 partners, 8 countries; xlsx only: 9 progress updates with their authors.
    with django_assert_num_queries(QUERIES_MEASURES[fmt]):
        response = client.get(reverse("measures:measure_export", kwargs={"fmt": fmt}))
    assert len(rows_of(response, fmt)) == 1 + Measure.objects.visible_to(bob).count()


QUERIES_MEASURES = {"xlsx": 9, "csv": 8}


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_change_download_query_count_does_not_grow(
    client, alice, programme, size, fmt, django_assert_num_queries
):
    programme(size)
    client.force_login(alice)
    # 1 session, 2 user, 3 groups; then the feed's own queries as on the page (see
    # test_changes.py): one UNION ALL for the newest records, one per model on the page, the
    # predecessors, the m2m snapshots and the names, none per row; the page's filter-form choices
    # are not needed, the visibility rules of a full CSV_LIMIT page are.
    with django_assert_num_queries(20):
        response = client.get(CHANGES, {"format": fmt})
    assert len(rows_of(response, fmt)) > size


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_register_download_query_count_does_not_grow(
    client, bob, measure, size, fmt, django_assert_num_queries
):
    make_commitments(size, measure)
    client.force_login(bob)
    # 1 session, 2 user, 3 the user's groups, 4 profile, 5 organisation (both for visible_to),
    # 6 commitments with their letters, 7 measures (visible, with owner), 8 links with targets,
    # 9 links from other commitments.
    with django_assert_num_queries(9):
        response = client.get(COMMITMENTS, {"format": fmt})
    assert len(rows_of(response, fmt)) == 1 + size
