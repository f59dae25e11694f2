"""Progress letters: the list, saving a summary as a draft, marking it sent, and a letter's page
that shows its period as of its date."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from measures.models import LetterStatus, ProgressLetter, end_of_day
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


def test_a_refused_draft_comes_back_with_its_input_and_the_field_error(client, alice, db):
    client.force_login(alice)
    response = client.post(
        reverse("measures:letter_create"),
        {**NEW, "period_start": "2015-07-01"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert ProgressLetter.objects.count() == 0
    assert "There is a problem" in content and "<title>Error: " in content
    assert "The period must end after it starts." in content
    assert 'value="2015-07-01"' in content and 'value="31 015, nr. 112"' in content


def test_the_draft_letter_page_starts_with_the_period_in_its_link(client, alice, db):
    client.force_login(alice)
    url = reverse("measures:letter_create")
    response = client.get(url, {"from": "2014-09-04", "to": "2015-06-01", "title": "Brief juni"})

    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="period_start" value="2014-09-04"' in content
    assert 'name="period_end" value="2015-06-01"' in content
    assert 'name="date" value="2015-06-01"' in content
    assert 'value="Brief juni"' in content


def test_the_summary_links_to_the_draft_letter_page_with_its_period(client, alice, db):
    client.force_login(alice)
    response = client.get(reverse("measures:summary"), {"from": "2014-09-04", "to": "2015-06-01"})

    content = response.content.decode()
    assert reverse("measures:letter_create") + "?from=2014-09-04&amp;to=2015-06-01&amp;title=" in (
        content
    )


def test_only_coordinators_save_or_send_letters(client, vera, bob, letters):
    letter = letters["letter"]
    send = reverse("measures:letter_send", args=[letter.pk])
    for user in (vera, bob):
        client.force_login(user)
        assert client.get(reverse("measures:letter_create")).status_code == 403
        assert client.post(reverse("measures:letter_create"), NEW).status_code == 403
        assert client.get(send).status_code == 403
        assert client.post(send, _sending(letter)).status_code == 403
    letter.refresh_from_db()
    assert letter.status == LetterStatus.DRAFT
    assert ProgressLetter.objects.count() == 2


def _sending(letter, **changes):
    return {
        "version": letter.version,
        "kamerstuk": "31 015, nr. 113",
        "sent_on": timezone.localdate().isoformat(),
        **changes,
    }


def test_the_confirmation_page_shows_what_sending_fixes(client, alice, letters):
    letter = letters["letter"]
    client.force_login(alice)
    response = client.get(
        reverse("measures:letter_send", args=[letter.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "This letter reports on 4 september 2014 to 1 juni 2015" in content
    assert "fixed for good" in content
    assert 'name="kamerstuk" value="31 015, nr. 112"' in content
    assert f'name="sent_on" value="{timezone.localdate().isoformat()}"' in content
    assert f'name="version" value="{letter.version}"' in content
    detail = client.get(reverse("measures:letter_detail", args=[letter.pk])).content.decode()
    assert f'href="{reverse("measures:letter_send", args=[letter.pk])}"' in detail


def test_a_coordinator_marks_a_letter_as_sent_once(client, alice, letters):
    letter = letters["letter"]
    client.force_login(alice)
    url = reverse("measures:letter_send", args=[letter.pk])

    response = client.post(url, _sending(letter))
    letter.refresh_from_db()
    assert response.status_code == 302
    assert response.url == reverse("measures:letter_detail", args=[letter.pk])
    assert letter.status == LetterStatus.SENT and letter.sent_by == alice
    assert letter.kamerstuk == "31 015, nr. 113"
    record = letter.history.first()
    assert record.history_user == alice and record.status == LetterStatus.SENT
    assert record.kamerstuk == "31 015, nr. 113"

    again = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert "This letter was marked as sent on" in again.content.decode()
    assert 'name="kamerstuk"' not in again.content.decode()
    assert client.post(url, _sending(letter)).status_code == 200
    assert letter.history.count() == 2


def test_a_letter_sent_on_an_earlier_day_fixes_what_was_known_by_its_end(client, alice, letters):
    letter = letters["letter"]
    client.force_login(alice)

    client.post(
        reverse("measures:letter_send", args=[letter.pk]), _sending(letter, sent_on="2015-06-02")
    )

    letter.refresh_from_db()
    assert letter.sent_at == end_of_day(datetime.date(2015, 6, 2))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"kamerstuk": "  "}, "kamerstuk", "Enter the number of the parliamentary paper."),
        ({"sent_on": "2099-01-01"}, "sent_on", "1 januari 2099 lies in the future"),
        (
            {"sent_on": "2015-05-31"},
            "sent_on",
            "A letter is not sent before its date (1 juni 2015).",
        ),
        ({"sent_on": "31-05-2015"}, "sent_on", "Enter a valid date."),
    ],
)
def test_a_refused_confirmation_keeps_its_input_and_sends_nothing(
    client, alice, letters, changes, field, message
):
    letter = letters["letter"]
    client.force_login(alice)
    data = _sending(letter, **changes)
    response = client.post(
        reverse("measures:letter_send", args=[letter.pk]), data, HTTP_ACCEPT_LANGUAGE="en"
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].has_error(field)
    assert message in content
    assert "There is a problem" in content and f'<a href="#id_{field}">' in content
    for name in ("kamerstuk", "sent_on"):
        if data[name].strip():
            assert f'value="{data[name]}"' in content
    letter.refresh_from_db()
    assert letter.status == LetterStatus.DRAFT and letter.history.count() == 1


def test_a_confirmation_over_a_changed_letter_is_refused_with_what_changed(client, alice, letters):
    letter = letters["letter"]
    client.force_login(alice)
    opened = letter.version
    letter.title = "Voortgangsbrief (herzien)"
    letter.save_change(by=alice, expected_version=opened)

    url = reverse("measures:letter_send", args=[letter.pk])
    response = client.post(url, _sending(letter, version=opened), HTTP_ACCEPT_LANGUAGE="en")

    content = response.content.decode()
    letter.refresh_from_db()
    assert response.status_code == 200
    assert letter.status == LetterStatus.DRAFT
    assert "Someone else saved this while you were editing it." in content
    assert (
        "Voortgang aanpak kinderpornografie en kindersekstoerisme → Voortgangsbrief (herzien)"
        in (content)
    )
    assert f'name="version" value="{letter.version}"' in content
    again = client.post(url, _sending(letter))
    letter.refresh_from_db()
    assert again.status_code == 302 and letter.is_sent


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


# --- Checking a draft before it goes out ---------------------------------------------------------


@pytest.mark.usefixtures("english")
def test_a_coordinator_marks_a_draft_as_checked_on_its_page(client, alice, letters):
    letter = letters["letter"]
    client.force_login(alice)
    page = client.get(reverse("measures:letter_detail", args=[letter.pk])).content.decode()
    assert "Nobody has checked this draft yet." in page
    response = client.post(
        reverse("measures:letter_check", args=[letter.pk]), {"version": letter.version}
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.checked_by == alice and letter.checked_at is not None
    assert letter.history.latest().history_change_reason == "checked"
    page = client.get(response.url).content.decode()
    assert "The draft is marked as checked." in page
    assert "Checked by Alice on" in page


def test_checking_is_post_only_for_coordinators(client, alice, vera, bob, letters):
    letter = letters["letter"]
    url = reverse("measures:letter_check", args=[letter.pk])
    assert client.post(url, {"version": letter.version}).status_code == 302  # to the login page
    for user in (vera, bob):
        client.force_login(user)
        assert client.post(url, {"version": letter.version}).status_code == 403
    client.force_login(alice)
    assert client.get(url).status_code == 405
    letter.refresh_from_db()
    assert letter.checked_at is None


@pytest.mark.usefixtures("english")
def test_checking_a_draft_changed_since_the_page_was_shown_is_refused(client, alice, letters):
    letter = letters["letter"]
    client.force_login(alice)
    opened = letter.version
    letter.title = "Voortgangsbrief (herzien)"
    letter.save_change(by=alice, expected_version=opened)
    response = client.post(
        reverse("measures:letter_check", args=[letter.pk]),
        {"version": opened},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    letter.refresh_from_db()
    assert letter.checked_at is None
    assert "Someone else saved this while you were editing it." in response.content.decode()


def test_a_draft_letter_chooses_the_first_year_of_its_figure_tables(client, alice, db):
    client.force_login(alice)
    client.post(reverse("measures:letter_create"), {**NEW, "figures_from_year": "2010"})

    assert ProgressLetter.objects.get().figures_from_year == 2010


def test_figures_from_after_the_letters_period_are_refused_with_a_message(client, alice, db):
    client.force_login(alice)
    response = client.post(
        reverse("measures:letter_create"),
        {**NEW, "figures_from_year": "2016"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert ProgressLetter.objects.count() == 0
    assert "The figures cannot start after the last year the letter reports on (2015)." in content
    assert 'value="2016"' in content
