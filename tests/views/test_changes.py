"""The change feed: /changes/ and its CSV export."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from measures.attribution import acting_as
from measures.models import Measure, MeasureStatus, Visibility
from measures.spreadsheets.files import csv_cell

pytestmark = pytest.mark.django_db

URL = reverse("measures:changes")


def make_changes(measure, user, count, organisations):
    start = timezone.now()
    for i in range(count):
        measure._history_date = start + datetime.timedelta(seconds=i)
        if i % 3 == 0:
            with acting_as(user, "command test"):
                measure.partners.add(organisations[i % len(organisations)])
        elif i % 3 == 1:
            measure.log_progress(by=user, text=f"Stap {i}")
        else:
            measure.set_status(
                [MeasureStatus.DELAYED, MeasureStatus.IN_PROGRESS][i % 2], by=user, reason="r"
            )


def test_it_lists_changes_newest_first_with_who_and_origin(client, measure, alice, bob):
    measure.set_status(MeasureStatus.DELAYED, by=bob, reason="capaciteit")
    client.force_login(alice)
    response = client.get(URL)
    assert response.status_code == 200
    items = response.context["page"].items
    assert items[0].user_name == "Bob"
    assert [c.date for c in items] == sorted((c.date for c in items), reverse=True)
    html = response.content.decode()
    assert "capaciteit" in html and "Handboek kindersekstoerisme" in html


def test_it_filters_by_user_kind_measure_and_dates(client, measure, alice, bob):
    measure.set_status(MeasureStatus.DELAYED, by=bob)
    measure.log_progress(by=alice, text="Gestart")
    client.force_login(alice)
    by_bob = client.get(URL, {"user": bob.pk}).context["page"].items
    assert {c.user_name for c in by_bob} == {"Bob"}
    updates = client.get(URL, {"kind": "progressupdate"}).context["page"].items
    assert {c.model_name for c in updates} == {"progressupdate"}
    for_measure = client.get(URL, {"measure": measure.pk}).context["page"].items
    assert {c.measure_id for c in for_measure} == {measure.pk}
    tomorrow = (timezone.localdate() + datetime.timedelta(1)).isoformat()
    assert client.get(URL, {"start": tomorrow}).context["page"].items == []


def test_bad_filter_input_gets_a_message_tied_to_the_field(client, alice):
    client.force_login(alice)
    response = client.get(URL, {"start": "2016-01-02", "end": "2016-01-01", "kind": "nonsense"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_end-error"' in html
    assert response.context["page"].items == []


def test_confidential_measures_are_left_out_for_viewers(client, measure, alice, vera):
    measure.visibility = Visibility.CONFIDENTIAL
    measure._history_user = alice
    measure.save()
    measure.log_progress(by=alice, text="Geheim")
    client.force_login(vera)
    items = client.get(URL).context["page"].items
    assert measure.pk not in {c.measure_id for c in items}
    assert "Geheim" not in client.get(URL).content.decode()


def test_the_older_link_pages_back(client, measure, alice, prosecution, monkeypatch):
    monkeypatch.setattr("measures.views.history.FEED_PAGE_SIZE", 3)
    make_changes(measure, alice, 5, [prosecution])
    client.force_login(alice)
    first = client.get(URL, {"kind": "measure"}).context["page"]
    assert first.has_more
    older = client.get(URL, {"kind": "measure", "before": first.next_before.isoformat()}).context[
        "page"
    ]
    assert {c.history_id for c in first.items}.isdisjoint({c.history_id for c in older.items})


@pytest.mark.parametrize("versions", [3, 30])
def test_the_query_count_does_not_grow_with_the_changes(
    client, measure, alice, police, prosecution, versions, django_assert_num_queries
):
    make_changes(measure, alice, versions, [prosecution, police])
    client.force_login(alice)
    # 1 session, 1 user, 1 groups (coordinator check);
    # 1 UNION ALL over the 13 history tables: the newest 51 (model, history_id, date,
    #   predecessor id);
    # 7 records and their predecessors (with user, profile, organisation), one per model on the
    #   page: measures, progress updates, organisations, profiles, action lines, plans, themes;
    # 1 UNION ALL of the many-to-many snapshots (partners, countries, plan themes);
    # names, one per related model: 1 measures, 1 users, 1 organisations, 1 plans,
    #   1 action lines, 1 themes;
    # the filter form's choices: 1 users, 1 organisations (the measure is a number, no list).
    with django_assert_num_queries(20):
        response = client.get(URL)
    assert response.status_code == 200


def test_csv_export_opens_in_dutch_excel(client, measure, alice):
    measure.title = '=HYPERLINK("x")'
    measure._history_user = alice
    measure._change_reason = "-1 reden"
    measure.save()
    client.force_login(alice)
    response = client.get(URL, {"format": "csv", "kind": "measure"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert rows[0][0] in ("Date and time", "Datum en tijd")
    title_rows = [r for r in rows if r[7] in ("title", "titel")]
    assert title_rows[0][9] == '\'=HYPERLINK("x")'
    assert title_rows[0][10] == "'-1 reden"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_start_like_a_formula_are_neutralised(start):
    assert csv_cell(f"{start}1+1") == f"'{start}1+1"
    assert csv_cell("gewoon") == "gewoon"


def test_anonymous_is_sent_to_login(client):
    assert client.get(URL).status_code == 302


def test_measure_filter_offers_only_visible_measures(client, measure, alice, vera):
    measure.visibility = Visibility.CONFIDENTIAL
    measure._history_user = alice
    measure.save()
    client.force_login(vera)
    response = client.get(URL, {"measure": measure.pk})
    assert "measure" in response.context["form"].errors
    assert Measure.objects.count() == 1
