import datetime

import pytest
from django.urls import reverse

from measures.formatting import date_nl
from measures.models import Measure, MeasureStatus
from tests.factories import make_measure

pytestmark = pytest.mark.usefixtures("english")  # the English source strings (conftest)


URL = reverse("measures:bulk_change")


@pytest.fixture
def pair(measure, police):
    other = make_measure(like=measure, owner=police, title="Tweede maatregel")
    return measure, other


def test_it_changes_the_status_of_each_selected_measure_with_one_history_record_each(
    client, alice, pair
):
    client.force_login(alice)
    before = {m.pk: m.history.count() for m in pair}
    response = client.post(
        URL,
        {"measures": [m.pk for m in pair], "action": "status", "status": MeasureStatus.COMPLETED},
    )
    assert response.status_code == 302
    for measure in pair:
        measure.refresh_from_db()
        assert measure.status == MeasureStatus.COMPLETED
        # set_status kept the completion date in step
        assert measure.completed_date is not None
        assert measure.history.count() == before[measure.pk] + 1
        assert measure.history.first().history_user == alice
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["2 measures changed."]


def test_it_changes_the_owner_and_skips_measures_that_already_have_it(
    client, alice, pair, prosecution, police
):
    measure, other = pair
    other.owner = prosecution
    other.save()
    client.force_login(alice)
    before = measure.history.count(), other.history.count()
    client.post(
        URL, {"measures": [measure.pk, other.pk], "action": "owner", "owner": prosecution.pk}
    )
    measure.refresh_from_db()
    assert measure.owner == prosecution
    assert (measure.history.count(), other.history.count()) == (before[0] + 1, before[1])
    assert measure.history.first().history_user == alice


def test_it_returns_to_the_filtered_list_it_came_from(client, alice, pair):
    client.force_login(alice)
    response = client.post(
        URL,
        {
            "measures": [pair[0].pk],
            "action": "status",
            "status": MeasureStatus.DELAYED,
            "next": "/measures/?status=delayed",
        },
    )
    assert response.url == "/measures/?status=delayed"


def test_it_does_not_redirect_to_another_site(client, alice, pair):
    client.force_login(alice)
    response = client.post(
        URL,
        {
            "measures": [pair[0].pk],
            "action": "status",
            "status": "delayed",
            "next": "//evil.example",
        },
    )
    assert response.url == reverse("measures:list")


def test_it_writes_nothing_and_says_why_without_a_new_status(client, alice, pair):
    client.force_login(alice)
    before = pair[0].history.count()
    response = client.post(URL, {"measures": [pair[0].pk], "action": "status"}, follow=True)
    assert pair[0].history.count() == before
    assert "Choose the new status." in response.content.decode()


def test_it_writes_nothing_without_a_selection(client, alice, pair):
    client.force_login(alice)
    response = client.post(URL, {"action": "status", "status": "delayed"}, follow=True)
    assert "Select at least one measure." in response.content.decode()
    assert Measure.objects.filter(status="delayed").count() == 0


def test_it_refuses_a_contributor(client, bob, pair):
    client.force_login(bob)
    response = client.post(URL, {"measures": [pair[0].pk], "action": "status", "status": "delayed"})
    assert response.status_code == 403
    assert "Only a coordinator" in response.content.decode()
    pair[0].refresh_from_db()
    assert pair[0].status == MeasureStatus.IN_PROGRESS


def test_it_refuses_a_viewer(client, vera, pair):
    client.force_login(vera)
    response = client.post(URL, {"measures": [pair[0].pk], "action": "status", "status": "delayed"})
    assert response.status_code == 403


def test_it_refuses_get(client, alice):
    client.force_login(alice)
    assert client.get(URL).status_code == 405


def test_it_redirects_an_anonymous_visitor_to_the_login_page(client, pair):
    response = client.post(URL, {"measures": [pair[0].pk], "action": "status", "status": "delayed"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- One day for all: the day the new status took effect -------------------------------------


@pytest.fixture
def joined_pair(pair):
    for measure, joined_on in zip(
        pair, (datetime.date(2016, 2, 1), datetime.date(2016, 3, 1)), strict=True
    ):
        measure.joined_on = measure.status_since = joined_on
        measure.save()
    return pair


def test_the_list_offers_one_day_for_all_starting_at_today(client, alice, pair, today):
    client.force_login(alice)
    content = client.get(reverse("measures:list")).content.decode()
    assert f'name="on" value="{today.isoformat()}"' in content
    assert "One day for every selected measure; default today." in content


def test_each_measure_takes_the_back_dated_day_given(client, alice, joined_pair):
    client.force_login(alice)
    response = client.post(
        URL,
        {
            "measures": [m.pk for m in joined_pair],
            "action": "status",
            "status": MeasureStatus.COMPLETED,
            "on": "2016-05-01",
        },
    )
    assert response.status_code == 302
    for measure in joined_pair:
        measure.refresh_from_db()
        assert measure.status == MeasureStatus.COMPLETED
        assert measure.status_since == measure.completed_date == datetime.date(2016, 5, 1)


def test_without_a_day_each_status_takes_today(client, alice, joined_pair, today):
    client.force_login(alice)
    client.post(
        URL,
        {"measures": [m.pk for m in joined_pair], "action": "status", "status": "delayed"},
    )
    for measure in joined_pair:
        measure.refresh_from_db()
        assert measure.status_since == today


def test_a_measure_that_has_the_status_already_keeps_its_date(client, alice, joined_pair):
    measure, other = joined_pair
    client.force_login(alice)
    client.post(
        URL,
        {
            "measures": [measure.pk, other.pk],
            "action": "status",
            "status": MeasureStatus.IN_PROGRESS,
            "on": "2016-05-01",
        },
    )
    measure.refresh_from_db()
    assert measure.status_since == datetime.date(2016, 2, 1)  # it was in progress already


def test_a_future_day_is_refused_and_nothing_is_written(client, alice, joined_pair, today):
    client.force_login(alice)
    before = [m.history.count() for m in joined_pair]
    tomorrow = today + datetime.timedelta(days=1)
    response = client.post(
        URL,
        {
            "measures": [m.pk for m in joined_pair],
            "action": "status",
            "status": "delayed",
            "on": tomorrow.isoformat(),
        },
        follow=True,
    )
    assert f"{date_nl(tomorrow)} lies in the future; enter what has happened." in (
        response.content.decode()
    )
    assert [m.history.count() for m in joined_pair] == before
    assert not Measure.objects.filter(status="delayed").exists()


def test_a_day_before_one_measure_joined_refuses_all_and_names_that_measure(
    client, alice, joined_pair
):
    measure, other = joined_pair  # joined 1 February and 1 March 2016
    client.force_login(alice)
    before = [m.history.count() for m in joined_pair]
    response = client.post(
        URL,
        {
            "measures": [measure.pk, other.pk],
            "action": "status",
            "status": "delayed",
            "on": "2016-02-15",
        },
    )
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [
        "Tweede maatregel: This lies before the measure joined the programme (1 maart 2016).",
        "No measure was changed.",
    ]
    assert [m.history.count() for m in joined_pair] == before
    assert not Measure.objects.filter(status="delayed").exists()
