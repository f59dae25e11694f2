"""The text of a letter: a coordinator writes the letter's own words on a draft, at every place
of its structure; one Save writes what changed, each passage with its version."""

import pytest
from django.urls import reverse
from django.utils import translation

from measures.models import ChangeReason, LetterPassage, PassagePlace, passage_key
from measures.reports.summary import letter_summary
from tests import summary_data
from tests.summary_data import END, at, make_measure, make_update

kp, letters, letter_data = summary_data.kp, summary_data.letters, summary_data.letter_data


def url(letter):
    return reverse("measures:letter_text", args=[letter.pk])


def form_data(client, letter, **changes):
    """Return the form as the page shows it (every textarea and version), with `changes`."""
    form = client.get(url(letter)).context["form"]
    data = {}
    for name in form.fields:
        value = form.initial.get(name, "")
        data[name] = "" if value is None else value
    data.update(changes)
    return data


def test_a_coordinator_writes_the_assessment_and_sees_it_in_the_letter(client, alice, letter_data):
    letter = letter_data["letter"]
    client.force_login(alice)

    response = client.post(url(letter), form_data(client, letter, assessment="Ik ben *tevreden*."))

    assert response.status_code == 302
    assert response.url == reverse("measures:letter_detail", args=[letter.pk])
    passage = LetterPassage.objects.get()
    assert (passage.place, passage.text, passage.version) == ("assessment", "Ik ben *tevreden*.", 1)
    record = passage.history.get()
    assert (record.history_user, record.history_change_reason) == (alice, ChangeReason.WORDS)
    page = client.get(response.url).content.decode()
    assert "Beoordeling</h3>" in page and "Ik ben <em>tevreden</em>." in page


def test_the_page_offers_every_place_of_the_letter_with_the_generated_text(
    client, alice, letter_data
):
    client.force_login(alice)
    response = client.get(url(letter_data["letter"]))

    content = response.content.decode()
    form = response.context["form"]
    handbook = passage_key("measure", letter_data["handbook"].pk)
    assert response.status_code == 200
    assert {"opening", "assessment", "closing", handbook} <= set(form.fields)
    assert passage_key("action_line", letter_data["lines"][1].pk) in form.fields
    assert passage_key("plan", letter_data["plan"].pk) in form.fields
    assert "Het handboek is verspreid onder alle eenheden." in content  # what it replaces
    assert "Met deze brief informeer ik uw Kamer" in content
    assert 'id="markup-help"' in content
    # The places are the letter's: a confidential measure is not in it, so not offered.
    assert passage_key("measure", letter_data["secret"].pk) not in form.fields


def test_only_what_changed_is_written(client, alice, letter_data):
    letter = letter_data["letter"]
    client.force_login(alice)
    client.post(url(letter), form_data(client, letter, opening="Eerst.", closing="Tot slot."))

    client.post(url(letter), form_data(client, letter, closing="Tot slot, anders."))

    opening = LetterPassage.objects.get(place="opening")
    closing = LetterPassage.objects.get(place="closing")
    assert (opening.version, opening.history.count()) == (1, 1)
    assert (closing.version, closing.text) == (2, "Tot slot, anders.")


def test_saving_nothing_writes_nothing(client, alice, letter_data):
    letter = letter_data["letter"]
    client.force_login(alice)

    response = client.post(url(letter), form_data(client, letter))

    assert response.status_code == 302
    assert not LetterPassage.objects.exists()
    assert not LetterPassage.history.exists()


def test_a_stale_edit_is_refused_with_the_input_kept_and_nothing_written(
    client, alice, letter_data
):
    letter = letter_data["letter"]
    client.force_login(alice)
    client.post(url(letter), form_data(client, letter, assessment="Versie een."))
    opened = form_data(client, letter)  # the page as opened; then someone else saves
    passage = LetterPassage.objects.get()
    passage.text = "Versie van een collega."
    passage.save_change(by=alice, expected_version=passage.version)

    opened.update(assessment="Mijn versie.", closing="Ook nieuw.")
    response = client.post(url(letter), opened)

    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="error-summary"' in content
    assert str(response.context["form"].errors["assessment"][0]).startswith(
        str(LetterPassage.stale_message)[:10]
    )
    assert "Versie een. → Versie van een collega." in content  # what changed meanwhile
    assert "Mijn versie." in content and "Ook nieuw." in content  # nothing lost
    passage.refresh_from_db()
    assert passage.text == "Versie van een collega."
    assert not LetterPassage.objects.filter(place="closing").exists()  # nothing written
    # Sent again as it was filled in, it applies to the passage as it is now.
    form = response.context["form"]
    again = {name: form.data.get(name, "") for name in form.fields}
    assert client.post(url(letter), again).status_code == 302
    passage.refresh_from_db()
    assert passage.text == "Mijn versie."


def test_a_passage_only_someone_else_changed_keeps_their_words(client, alice, letter_data):
    letter = letter_data["letter"]
    client.force_login(alice)
    client.post(url(letter), form_data(client, letter, assessment="Eerste."))
    opened = form_data(client, letter)
    passage = LetterPassage.objects.get()
    passage.text = "Van een collega."
    passage.save_change(by=alice, expected_version=passage.version)

    response = client.post(url(letter), {**opened, "closing": "Tot slot."})

    assert response.status_code == 302
    passage.refresh_from_db()
    assert passage.text == "Van een collega."
    assert LetterPassage.objects.get(place="closing").text == "Tot slot."


def test_too_long_a_text_is_refused_and_nothing_is_written(client, alice, letter_data):
    letter = letter_data["letter"]
    client.force_login(alice)

    response = client.post(
        url(letter), form_data(client, letter, opening="Kort.", closing="x" * 20001)
    )

    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert not LetterPassage.objects.exists()


@pytest.mark.parametrize("who", ["bob", "vera"])
def test_contributors_and_viewers_may_not_write_the_letters_text(client, who, request, letter_data):
    letter = letter_data["letter"]
    client.force_login(request.getfixturevalue(who))

    assert client.get(url(letter)).status_code == 403
    assert client.post(url(letter), {"assessment": "Niet van mij."}).status_code == 403
    assert not LetterPassage.objects.exists()
    page = client.get(reverse("measures:letter_detail", args=[letter.pk])).content.decode()
    assert url(letter) not in page


def test_anonymous_users_are_sent_to_the_login_page(client, letter_data):
    response = client.post(url(letter_data["letter"]), {"assessment": "Anoniem."})

    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not LetterPassage.objects.exists()


def test_a_sent_letter_shows_its_words_and_refuses_new_ones(client, alice, letter_data):
    letter = letter_data["letter"]
    client.force_login(alice)
    client.post(url(letter), form_data(client, letter, assessment="Zoals verzonden."))
    letter.mark_sent(by=alice)

    page = client.get(url(letter))
    refused = client.post(url(letter), {"assessment": "Achteraf."})

    assert page.status_code == 200 and page.context["form"] is None
    assert "Zoals verzonden." in page.content.decode()
    assert "<textarea" not in page.content.decode()
    assert refused.status_code == 403
    assert LetterPassage.objects.get().text == "Zoals verzonden."
    detail = client.get(reverse("measures:letter_detail", args=[letter.pk])).content.decode()
    assert url(letter) not in detail


def test_the_letter_page_and_the_summary_page_link_to_the_text_of_a_draft(
    client, alice, letter_data
):
    letter = letter_data["letter"]
    client.force_login(alice)

    detail = client.get(reverse("measures:letter_detail", args=[letter.pk])).content.decode()
    summary = client.get(
        reverse("measures:summary"), {"from": "2014-09-04", "to": "2015-06-01"}
    ).content.decode()

    assert url(letter) in detail and url(letter) in summary


def test_the_letters_history_lists_the_edits_of_its_words(client, alice, vera, letter_data):
    letter = letter_data["letter"]
    client.force_login(alice)
    client.post(url(letter), form_data(client, letter, assessment="Eerste versie."))
    client.post(url(letter), form_data(client, letter, assessment="Tweede versie."))

    client.force_login(vera)  # the history is for every reader of the letter
    response = client.get(reverse("measures:letter_history", args=[letter.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Eerste versie." in content and "Tweede versie." in content
    with translation.override("nl"):  # the page's language
        assert content.count(str(ChangeReason.WORDS.label)) == 2
        assert str(PassagePlace.ASSESSMENT.label) in content


def test_a_passage_about_a_confidential_measure_stays_out_of_a_viewers_history(
    client, alice, vera, letter_data
):
    letter = letter_data["letter"]
    passage = LetterPassage.for_key(letter, passage_key("measure", letter_data["secret"].pk))
    passage.text = "Over de geheime operatie."
    passage.save_change(by=alice)
    client.force_login(alice)
    assert (
        "Over de geheime operatie."
        in client.get(reverse("measures:letter_history", args=[letter.pk])).content.decode()
    )

    client.force_login(vera)
    content = client.get(reverse("measures:letter_history", args=[letter.pk])).content.decode()

    assert "Over de geheime operatie." not in content


@pytest.fixture
def more_measures(letter_data, kst, police):
    plan, lines = letter_data["plan"], letter_data["lines"]

    def make(count):
        for i in range(count):
            measure = make_measure(
                plan, lines[1 + i % 3], kst, police, f"Extra {i}", at(END.replace(day=1), 8, i)
            )
            make_update(measure, END.replace(day=2), f"Voortgang {i}", minute=i % 60)

    return make


@pytest.mark.parametrize("count", [2, 20])
def test_the_text_page_needs_the_same_number_of_queries_however_large_the_letter(
    count, client, alice, letter_data, more_measures, django_assert_max_num_queries
):
    more_measures(count)
    letter = letter_data["letter"]
    for key in ("opening", passage_key("measure", letter_data["handbook"].pk)):
        passage = LetterPassage.for_key(letter, key)
        passage.text = "Tekst."
        passage.save_change(by=alice)
    client.force_login(alice)
    # 1 session, 2 user, 3 groups, 4 the letter, 5-21 the builder (its 16, and 1 for the
    # words), 22 the passages with their versions: the same for 2 and for 20 more measures
    with django_assert_max_num_queries(22):
        response = client.get(url(letter))
    assert response.status_code == 200
    assert len(letter_summary(letter).measures) >= count
