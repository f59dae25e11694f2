"""Dates outside 1900-2100 are refused with a message wherever they enter: query parameters of
every page, every form's date fields, and the models (admin and imports)."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from measures.models import Measure, ProgressLetter

pytestmark = pytest.mark.django_db


def urls(measure):
    history = f"/measures/{measure.pk}/history/"
    detail = f"/measures/{measure.pk}/"
    return [
        "/changes/?start=0001-01-01",
        "/changes/?end=9999-12-31",
        "/changes/?before=0001-01-01",
        "/changes/?before=0001-01-01T00:00:00",
        "/changes/?start=0001-01-01&format=csv",
        f"{history}?before=0001-01-01",
        f"{history}?as_of=0001-01-01",
        f"{history}?as_of=2015-01-01&known=0001-01-01",
        "/summaries/?from=0001-01-01&to=0001-01-05",
        "/summaries/?from=2015-01-01&to=9999-12-31",
        "/summaries/?from=0001-01-01&to=0001-01-05&format=docx",
        "/?as_of=0001-01-01",
        "/?as_of=2015-01-01&known=0001-01-01",
        "/measures/?as_of=0001-01-01",
        f"{detail}?as_of=0001-01-01",
        "/compare/?from=0001-01-01&to=2015-01-01",
        "/compare/?from=2015-01-01&to=0001-01-01",
        "/compare/?from=2014-01-01&to=2015-01-01&known=0001-01-01",
        "/commitments/?due_from=0001-01-01",
        "/commitments/?due_to=9999-12-31",
    ]


def test_no_url_gives_a_server_error_for_a_year_outside_the_range(client, vera, measure):
    client.force_login(vera)
    client.raise_request_exception = False
    for url in urls(measure):
        response = client.get(url)
        assert response.status_code in (200, 400), (url, response.status_code)


@pytest.mark.parametrize(
    "url",
    [
        "/changes/?start=0001-01-01",
        "/changes/?before=0001-01-01",
        "/summaries/?from=0001-01-01&to=0001-01-05",
        "/compare/?from=2015-01-01&to=9999-12-31",
        "/commitments/?due_from=0001-01-01",
    ],
)
def test_a_form_field_says_which_dates_it_takes(client, vera, url):
    client.force_login(vera)
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code in (200, 400)
    assert "1900" in body and "2100" in body, url


def test_the_history_cursor_out_of_range_is_refused_with_a_message(client, vera, measure):
    client.force_login(vera)
    response = client.get(f"/measures/{measure.pk}/history/?before=0001-01-01")
    assert response.status_code == 200
    body = response.content.decode()
    assert "1900" in body and "2100" in body


def test_the_as_of_parameter_says_it_lies_before_any_record(client, vera, measure):
    client.force_login(vera)
    for url in ("/?as_of=0001-01-01", f"/measures/{measure.pk}/history/?as_of=0001-01-01"):
        response = client.get(url, follow=True)
        assert response.status_code in (200, 400)
        body = response.content.decode()
        assert "0001" in body or "1 januari 1" in body, url


@pytest.mark.parametrize("field", ["joined_on", "due_date", "start_date", "completed_date"])
def test_a_measure_refuses_a_date_outside_the_range(measure, field):
    setattr(measure, field, datetime.date(1, 1, 1))
    with pytest.raises(ValidationError) as refused:
        measure.full_clean()
    assert field in refused.value.message_dict
    assert "1900" in refused.value.message_dict[field][0]


def test_a_letter_refuses_a_date_outside_the_range(db):
    letter = ProgressLetter(title="Brief", date=datetime.date(2101, 1, 1))
    with pytest.raises(ValidationError) as refused:
        letter.full_clean()
    assert "date" in refused.value.message_dict


def test_the_admin_refuses_a_date_outside_the_range(client, alice, measure):
    client.force_login(alice)
    url = f"/admin/measures/measure/{measure.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update({"due_date": "0001-01-01"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "due_date" in response.context["adminform"].form.errors
    measure.refresh_from_db()
    assert measure.due_date != datetime.date(1, 1, 1)
    assert Measure.objects.filter(due_date__year=1).count() == 0


def test_an_import_refuses_a_date_outside_the_range(tmp_path, measure, alice):
    path = tmp_path / "maatregelen.xlsx"
    call_command("export_measures", str(path), stdout=io.StringIO())
    workbook = load_workbook(path)
    sheet = workbook["Maatregelen"]
    column = next(c.column_letter for c in sheet[1] if c.value == "uiterste datum")
    sheet[f"{column}2"] = "2101-01-01"
    workbook.save(path)
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import_measures", str(path), "--user", "alice", stderr=err)
    assert "1900" in err.getvalue() and "2100" in err.getvalue()
    measure.refresh_from_db()
    assert measure.due_date is None
