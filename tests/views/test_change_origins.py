"""Where a change came from ("web 192.0.2.77", the client's address) is personal data of staff:
coordinators see it, other readers see no address anywhere in the history."""

import io

import openpyxl
import pytest

from measures.attribution import acting_as
from measures.history.changes import origin_in_words
from measures.models import MeasureStatus

pytestmark = pytest.mark.django_db

ADDRESS = "192.0.2.77"


@pytest.fixture
def changed(measure, alice):
    with acting_as(alice, f"web {ADDRESS}"):
        measure.set_status(MeasureStatus.DELAYED, by=alice, reason="wacht")
    return measure


def pages(client, measure):
    """Every place the history is shown: the feed (HTML, CSV, xlsx) and the measure's history."""
    feed = "/changes/"
    xlsx = client.get(feed, {"format": "xlsx"}).content
    cells = [
        str(cell)
        for row in openpyxl.load_workbook(io.BytesIO(xlsx), read_only=True).active.iter_rows(
            values_only=True
        )
        for cell in row
        if cell is not None
    ]
    return {
        "feed": client.get(feed).content.decode(),
        "csv": client.get(feed, {"format": "csv"}).content.decode("utf-8-sig"),
        "xlsx": "\n".join(cells),
        "history": client.get(f"/measures/{measure.pk}/history/").content.decode(),
    }


@pytest.mark.parametrize("reader", ["vera", "bob"])
def test_a_viewer_or_contributor_sees_no_address(client, changed, reader, request):
    client.force_login(request.getfixturevalue(reader))
    for name, text in pages(client, changed).items():
        assert "wacht" in text, name  # the change itself is shown
        assert ADDRESS not in text, name
        assert "Herkomst" not in text, name  # nor an empty origin column


def test_a_coordinator_sees_where_each_change_came_from(client, changed, alice):
    client.force_login(alice)
    for name, text in pages(client, changed).items():
        assert "Herkomst" in text, name
        if name in ("csv", "xlsx"):  # the downloads keep the stored origin
            assert f"web {ADDRESS}" in text, name
        else:  # the pages say it in words
            assert origin_in_words(f"web {ADDRESS}") in text, name
            assert f"web {ADDRESS}" not in text, name
