"""A letter's own words (`LetterPassage`): one per letter and place, with history, and never
changed once the letter is sent, in the tracker or in the admin."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from measures.locking import StaleEdit
from measures.models import ChangeReason, LetterPassage, ProgressLetter, passage_key
from measures.models.letters import PASSAGE_TAKEN, SENT_KEEPS_ITS_WORDS


@pytest.fixture
def draft(db):
    return ProgressLetter.objects.create(date=datetime.date(2015, 6, 1), title="Voortgangsbrief")


def write(letter, key, text, by=None, **options):
    passage = LetterPassage.for_key(letter, key)
    passage.text = text
    return passage.save_change(by=by, reason=ChangeReason.WORDS, **options)


def test_a_passage_is_saved_with_its_history(draft, alice):
    passage = write(draft, "assessment", "Ik ben tevreden.", by=alice)
    passage.text = "Ik ben zeer tevreden."
    passage.save_change(by=alice, expected_version=1)

    records = list(passage.history.order_by("history_date"))
    assert [(r.text, r.version, r.history_user) for r in records] == [
        ("Ik ben tevreden.", 1, alice),
        ("Ik ben zeer tevreden.", 2, alice),
    ]
    assert records[0].history_change_reason == ChangeReason.WORDS
    assert passage.text_at(1) == "Ik ben tevreden." and passage.key == "assessment"


def test_an_edit_from_an_older_version_is_refused(draft, alice):
    passage = write(draft, "closing", "Tot slot.", by=alice)
    passage.text = "Tweede."
    passage.save_change(by=alice, expected_version=1)

    passage.text = "Vanaf versie een."
    with pytest.raises(StaleEdit):
        passage.save_change(by=alice, expected_version=1)
    assert LetterPassage.objects.get().text == "Tweede."


def test_one_passage_per_letter_and_place(draft, alice, measure):
    write(draft, "assessment", "Eerste.", by=alice)
    write(draft, passage_key("measure", measure.pk), "Over de maatregel.", by=alice)

    for key in ("assessment", passage_key("measure", measure.pk)):
        with pytest.raises(ValidationError) as refused:
            write(draft, key, "Nog een.", by=alice)
        assert str(PASSAGE_TAKEN) in refused.value.messages
    assert LetterPassage.objects.count() == 2
    other = ProgressLetter.objects.create(date=datetime.date(2015, 12, 1), title="Volgende")
    write(other, "assessment", "Elke brief zijn eigen.", by=alice)  # another letter may


@pytest.mark.parametrize(
    "fields",
    [
        {"place": "theme"},  # a theme's place without its theme
        {"place": "opening", "with_measure": True},  # the opening is about no measure
        {"place": "plan", "with_measure": True},  # a plan's place about a measure
    ],
)
def test_a_place_takes_exactly_the_target_it_asks_for(draft, alice, measure, fields):
    passage = LetterPassage(letter=draft, place=fields["place"], text="Tekst.")
    if fields.get("with_measure"):
        passage.measure = measure

    with pytest.raises(ValidationError):
        passage.save_change(by=alice)
    assert not LetterPassage.objects.exists()


def test_a_sent_letter_keeps_its_words(draft, alice):
    passage = write(draft, "assessment", "Zoals verzonden.", by=alice)
    draft.mark_sent(by=alice)

    passage.text = "Achteraf anders."
    with pytest.raises(ValidationError) as refused:
        passage.save_change(by=alice, expected_version=passage.version)
    assert refused.value.messages == [str(SENT_KEEPS_ITS_WORDS)]
    with pytest.raises(ValidationError):
        write(draft, "closing", "Een nieuwe tekst.", by=alice)
    with pytest.raises(ValidationError):
        LetterPassage.objects.get().delete()
    assert list(LetterPassage.objects.values_list("text", flat=True)) == ["Zoals verzonden."]
    assert LetterPassage.history.count() == 1


def test_the_admin_refuses_to_change_or_delete_a_sent_letters_words(client, alice, draft):
    passage = write(draft, "assessment", "Zoals verzonden.", by=alice)
    draft.mark_sent(by=alice)
    client.force_login(alice)
    change = reverse("admin:measures_letterpassage_change", args=[passage.pk])

    response = client.post(
        change,
        {"letter": draft.pk, "place": "assessment", "text": "Via de admin.", "version": 1},
    )

    assert response.status_code == 200  # the form again, with the model's refusal
    with translation.override("nl"):  # the admin's language
        assert str(SENT_KEEPS_ITS_WORDS) in response.content.decode()
    assert LetterPassage.objects.get().text == "Zoals verzonden."
    delete = reverse("admin:measures_letterpassage_delete", args=[passage.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:measures_letterpassage_changelist")
    bulk = client.post(
        changelist, {"action": "delete_selected", "_selected_action": [passage.pk], "post": "yes"}
    )
    assert bulk.status_code in (200, 302)
    assert LetterPassage.objects.exists()
