"""Recording how a commitment was answered: POST /commitments/<id>/fulfil/ (GET shows the form
again, e.g. after a refused answer is reloaded)."""

import datetime

import pytest
from django.urls import reverse

from measures.formatting import date_nl
from measures.models import Commitment, CommitmentStatus
from tests.commitment_data import kst_plan_commitment, letter_september_2016, sentences_commitment

pytestmark = pytest.mark.usefixtures("english")  # the English source strings (conftest)

TOMORROW = datetime.date.today() + datetime.timedelta(days=1)


@pytest.fixture
def kst_commitment(db):
    return kst_plan_commitment()


def url(commitment):
    return reverse("measures:commitment_fulfil", args=[commitment.pk])


def post(client, commitment, data, **kwargs):
    """Send the answer form as opened now: with the commitment's current version."""
    version = type(commitment).objects.get(pk=commitment.pk).version
    return client.post(url(commitment), {"version": version, **data}, **kwargs)


def test_it_records_the_answer_with_the_letter_and_the_user(client, alice, kst_commitment):
    letter = letter_september_2016()
    client.force_login(alice)
    response = post(
        client,
        kst_commitment,
        {"letter": letter.pk, "on": "", "status": CommitmentStatus.FULFILLED, "note": "Plan sent"},
    )
    assert response.status_code == 302
    assert response["Location"] == kst_commitment.get_absolute_url()
    kst_commitment.refresh_from_db()
    assert kst_commitment.status == CommitmentStatus.FULFILLED
    assert kst_commitment.fulfilled_by == letter
    assert kst_commitment.fulfilled_on == datetime.date(2016, 9, 6)
    assert kst_commitment.fulfilment_note == "Plan sent"
    assert kst_commitment.is_late
    record = kst_commitment.history.latest()
    assert record.history_user == alice
    assert record.status == CommitmentStatus.FULFILLED
    assert record.history_change_reason == "answered"


def test_it_records_an_answer_without_a_letter_on_a_date(client, alice, kst_commitment):
    client.force_login(alice)
    post(
        client,
        kst_commitment,
        {"letter": "", "on": "2016-06-20", "status": CommitmentStatus.PARTLY_FULFILLED},
    )
    kst_commitment.refresh_from_db()
    assert kst_commitment.status == CommitmentStatus.PARTLY_FULFILLED
    assert kst_commitment.fulfilled_on == datetime.date(2016, 6, 20)
    assert not kst_commitment.is_late


def test_after_a_refused_answer_the_address_can_be_reloaded_and_the_language_switched(
    client, alice, kst_commitment
):
    client.force_login(alice)
    refused = post(client, kst_commitment, {"on": "", "letter": "", "status": "fulfilled"})
    assert refused.status_code == 200
    assert refused.context["form"].errors
    reloaded = client.get(url(kst_commitment))
    assert reloaded.status_code == 200
    page = reloaded.content.decode()
    assert f'action="{url(kst_commitment)}"' in page
    assert "There is a problem" not in page  # a fresh form
    switched = client.post(
        reverse("set_language"), {"language": "nl", "next": url(kst_commitment)}, follow=True
    )
    assert switched.redirect_chain == [(url(kst_commitment), 302)]
    assert switched.status_code == 200
    assert '<html lang="nl">' in switched.content.decode()
    kst_commitment.refresh_from_db()
    assert kst_commitment.status == CommitmentStatus.OPEN


def test_a_get_on_an_answered_commitment_goes_to_its_page(client, alice, kst_commitment):
    client.force_login(alice)
    post(client, kst_commitment, {"on": "2016-09-06", "status": "fulfilled"})
    response = client.get(url(kst_commitment))
    assert response.status_code == 302
    assert response["Location"] == kst_commitment.get_absolute_url()


def test_a_get_is_refused_to_a_contributor(client, bob, kst_commitment):
    client.force_login(bob)
    assert client.get(url(kst_commitment)).status_code == 403


def test_a_refused_answer_has_an_error_summary_linking_to_the_field(client, alice, kst_commitment):
    client.force_login(alice)
    response = post(client, kst_commitment, {"on": "", "letter": "", "status": "fulfilled"})
    page = response.content.decode()
    assert "<title>Error: Record the answer" in page
    assert "There is a problem" in page
    assert 'href="#id_on">Give the letter that answered it, or the date.</a>' in page


def test_it_asks_anonymous_visitors_to_log_in(client, kst_commitment):
    response = post(client, kst_commitment, {"on": "2016-09-06", "status": "fulfilled"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    kst_commitment.refresh_from_db()
    assert kst_commitment.status == CommitmentStatus.OPEN


@pytest.mark.parametrize("username", ["vera", "bob"])
def test_it_refuses_viewers_and_contributors_with_a_reason(
    client, request, username, kst_commitment
):
    user = request.getfixturevalue(username)
    client.force_login(user)
    response = post(client, kst_commitment, {"on": "2016-09-06", "status": "fulfilled"})
    assert response.status_code == 403
    assert "Only coordinators record how a commitment was answered" in response.content.decode()
    kst_commitment.refresh_from_db()
    assert kst_commitment.status == CommitmentStatus.OPEN
    assert kst_commitment.history.count() == 1


def test_it_refuses_to_answer_twice(client, alice, kst_commitment):
    client.force_login(alice)
    post(client, kst_commitment, {"on": "2016-09-06", "status": "fulfilled"})
    response = post(client, kst_commitment, {"on": "2016-10-01", "status": "lapsed"}, follow=True)
    assert "This commitment has already been answered." in response.content.decode()
    kst_commitment.refresh_from_db()
    assert kst_commitment.status == CommitmentStatus.FULFILLED
    assert kst_commitment.fulfilled_on == datetime.date(2016, 9, 6)
    assert kst_commitment.history.count() == 2


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"on": "", "letter": "", "status": "fulfilled"}, "on", "Give the letter"),
        ({"on": "not a date", "status": "fulfilled"}, "on", "Enter a valid date."),
        ({"on": "2016-09-06", "status": "open"}, "status", "Select a valid choice."),
        (
            {"on": "2016-01-01", "status": "fulfilled"},
            "on",
            "A commitment cannot be answered before it was made.",
        ),
        (
            {"on": TOMORROW.isoformat(), "status": "fulfilled"},
            "on",
            f"{date_nl(TOMORROW)} lies in the future; enter what has happened.",
        ),
    ],
)
def test_it_shows_errors_and_writes_nothing_on_bad_input(
    client, alice, kst_commitment, data, field, message
):
    client.force_login(alice)
    response = post(client, kst_commitment, data)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    page = response.content.decode()
    assert f'id="id_{field}"' in page
    assert 'aria-invalid="true"' in page
    kst_commitment.refresh_from_db()
    assert kst_commitment.status == CommitmentStatus.OPEN
    assert kst_commitment.fulfilled_on is None
    assert Commitment.history.filter(id=kst_commitment.pk).count() == 1


def test_the_detail_page_offers_the_form_to_coordinators_only(client, alice, bob):
    commitment = sentences_commitment()
    detail = reverse("measures:commitment_detail", args=[commitment.pk])
    client.force_login(bob)
    assert url(commitment) not in client.get(detail).content.decode()
    client.force_login(alice)
    assert url(commitment) in client.get(detail).content.decode()
