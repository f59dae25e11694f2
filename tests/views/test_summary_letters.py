"""Progress letters: the list, saving a summary as a draft, marking it sent, and a letter's page
that shows its period as of its date."""

import datetime

import pytest
from django.urls import reverse

from measures.models import LetterStatus, ProgressLetter
from tests import summary_data
from tests.summary_data import END, START, at, save_at

kp, letters, letter_data = summary_data.kp, summary_data.letters, summary_data.letter_data

NEW = {
    "title": "Voortgangsbrief <b>juni</b>",
    "date": "2015-06-01",
    "period_start": "2014-09-04",
    "period_end": "2015-06-01",
    "kamerstuk": "31 015, nr. 112",
    "signed_by": "G.A. van der Steur",
    "signed_title": "De Minister van Veiligheid en Justitie",
}


def test_the_list_shows_every_letter(client, vera, letters):
    client.force_login(vera)
    response = client.get(reverse("measures:letters"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Voortgangsrapportage kinderpornografie en kindersekstoerisme" in content
    assert "4 september 2014" in content
    assert reverse("measures:letter_detail", args=[letters["letter"].pk]) in content


def test_anonymous_users_are_sent_to_the_login_page(client, letters):
    for url in (
        reverse("measures:letters"),
        reverse("measures:letter_detail", args=[letters["letter"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    response = client.post(reverse("measures:letter_create"), NEW)
    assert response.status_code == 302 and ProgressLetter.objects.count() == 2


def test_a_coordinator_saves_the_summary_as_a_draft_letter(client, alice, db):
    client.force_login(alice)
    response = client.post(reverse("measures:letter_create"), NEW)

    letter = ProgressLetter.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("measures:letter_detail", args=[letter.pk])
    assert letter.status == LetterStatus.DRAFT
    assert (letter.period_start, letter.period_end) == (START, END)
    assert letter.history.get().history_user == alice


def test_a_letter_needs_a_valid_period(client, alice, db):
    client.force_login(alice)
    response = client.post(
        reverse("measures:letter_create"),
        {**NEW, "period_start": "2015-07-01"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert ProgressLetter.objects.count() == 0
    assert "The letter was not saved" in response.content.decode()


def test_only_coordinators_save_or_send_letters(client, vera, bob, letters):
    letter = letters["letter"]
    for user in (vera, bob):
        client.force_login(user)
        assert client.post(reverse("measures:letter_create"), NEW).status_code == 403
        response = client.post(reverse("measures:letter_send", args=[letter.pk]))
        assert response.status_code == 403
    letter.refresh_from_db()
    assert letter.status == LetterStatus.DRAFT
    assert ProgressLetter.objects.count() == 2


def test_saving_and_sending_refuse_get(client, alice, letters):
    client.force_login(alice)

    assert client.get(reverse("measures:letter_create")).status_code == 405
    url = reverse("measures:letter_send", args=[letters["letter"].pk])
    assert client.get(url).status_code == 405


def test_a_coordinator_marks_a_letter_as_sent_once(client, alice, letters):
    letter = letters["letter"]
    client.force_login(alice)
    url = reverse("measures:letter_send", args=[letter.pk])

    response = client.post(url)
    letter.refresh_from_db()
    assert response.status_code == 302
    assert letter.status == LetterStatus.SENT and letter.sent_by == alice

    again = client.post(url, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "already been marked as sent" in again.content.decode()


def test_a_letters_page_shows_its_period_as_of_its_date(client, alice, letter_data):
    letter = letter_data["letter"]
    letter.mark_sent(by=alice, at=at(END, 17))
    client.force_login(alice)
    url = reverse("measures:letter_detail", args=[letter.pk])
    before = client.get(url)

    handbook = letter_data["handbook"]
    handbook.title = "Later hernoemd"
    save_at(handbook, at(datetime.date(2015, 9, 1)))
    after = client.get(url)

    assert before.status_code == after.status_code == 200
    assert "Handboek kindersekstoerisme" in after.content.decode()
    assert "Later hernoemd" not in after.content.decode()
    assert after.context["summary"] == before.context["summary"]
    assert "G.A. van der Steur" in after.content.decode()


@pytest.mark.parametrize("fmt", ["docx", "pdf", "md"])
def test_a_letter_downloads_in_each_format(client, vera, letter_data, fmt):
    client.force_login(vera)
    url = reverse("measures:letter_detail", args=[letter_data["letter"].pk])
    response = client.get(url, {"format": fmt})

    assert response.status_code == 200
    assert 'filename="brief-2015-06-01.' + fmt in response["Content-Disposition"]
