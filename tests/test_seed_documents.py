"""The seed's documents, events and links between measures, as the letters state them: linked,
cited in the letters that name them, read as known when each letter was sent."""

import datetime

import pytest
from django.urls import reverse

from measures.models import (
    Document,
    DocumentKind,
    Measure,
    MeasureEvent,
    MeasureLink,
    MeasureLinkKind,
    ProgressLetter,
)
from measures.reports.renderers.markdown import render_markdown
from measures.reports.summary import letter_summary

pytestmark = pytest.mark.django_db

LIAISONS = "Inzet liaisons en de strategische politiefunctionaris"
MANILA = "Verlenging van de plaatsing van de FILO in Manilla"
SEXUAL_OFFENCES = (
    "Onderzoek naar herziening van de zedentitel (titel XIV) van het Wetboek van Strafrecht"
)


@pytest.fixture(scope="module", autouse=True)
def _seeded(seeded_module):
    """The seed letters, loaded once for this module (tests/conftest.py)."""


def letter(day):
    return ProgressLetter.objects.get(date=day, kind__in=["progress", "results", "plan"])


def paper(dossier, number):
    return Document.objects.get(kind=DocumentKind.KAMERSTUK, dossier=dossier, number=number)


def test_the_sexual_offences_revision_is_linked_to_the_paper_that_informed_the_house():
    research = Measure.objects.get(title=SEXUAL_OFFENCES)
    assert paper("31 015", "102").links.filter(measure=research).exists()


def test_the_letter_of_1_june_2015_cites_its_papers_as_known_when_it_was_sent():
    summary = letter_summary(letter(datetime.date(2015, 6, 1)))
    notes = {n.text: n.number for n in summary.notes}
    research = next(m for m in summary.measures if m.title == SEXUAL_OFFENCES)
    assert notes["Kamerstuk 31 015, nr. 102."] in research.notes
    commitment = next(c for c in summary.commitments if "vrijheidsstraffen" in c.title)
    assert notes["Kamerstuk 31 015, nr. 104."] in commitment.notes
    text = render_markdown(summary)
    assert f"[^{notes['Kamerstuk 31 015, nr. 102.']}]: Kamerstuk 31 015, nr. 102." in text
    # Its own number (nr. 112) was recorded by the letter of 21 March 2016: not known then.
    assert "Kamerstuk 31 015, nr. 112." not in notes


def test_the_results_letter_cites_the_paper_that_made_its_commitments():
    summary = letter_summary(letter(datetime.date(2016, 3, 21)))
    assert "Kamerstuk 31 015, nr. 112." in {n.text for n in summary.notes}
    assert paper("31 015", "112").links.filter(letter=letter(datetime.date(2015, 6, 1))).exists()


def test_the_manila_liaison_continues_the_earlier_liaison(client, django_user_model):
    manila, liaisons = Measure.objects.get(title=MANILA), Measure.objects.get(title=LIAISONS)
    link = MeasureLink.objects.get(source=manila)
    assert (link.target, link.kind) == (liaisons, MeasureLinkKind.CONTINUES)
    summary = letter_summary(letter(datetime.date(2016, 9, 6)))
    text = render_markdown(summary)
    assert f"Deze maatregel is een voortzetting van «{LIAISONS}»." in text
    # Not known when the letter of 1 June 2015 was sent.
    earlier = letter_summary(letter(datetime.date(2015, 6, 1)))
    liaisons_then = next(m for m in earlier.measures if m.title == LIAISONS)
    assert all(link.kind != MeasureLinkKind.CONTINUES for link in liaisons_then.links)


def test_the_new_campaign_replaces_the_campaign_of_2010_in_the_letter():
    text = render_markdown(letter_summary(letter(datetime.date(2015, 6, 1))))
    assert "Deze maatregel vervangt «Bewustwordingscampagne kindersekstoerisme (2010)»." in text
    assert (
        "Deze maatregel is vervangen door «Campagne tegen kindersekstoerisme «Don't Look Away»»."
        in text
    )


def test_the_appointment_of_the_liaisons_is_reported_under_its_measure():
    event = MeasureEvent.objects.get(measure__title=LIAISONS)
    assert event.date_is_estimated
    summary = letter_summary(letter(datetime.date(2015, 6, 1)))
    liaisons = next(m for m in summary.measures if m.title == LIAISONS)
    assert [e.id for e in liaisons.events] == [event.pk]


def test_the_letters_name_the_ministry_as_it_was_called_then():
    text_2015 = render_markdown(letter_summary(letter(datetime.date(2015, 6, 1))))
    text_2010 = render_markdown(letter_summary(letter(datetime.date(2010, 7, 1))))
    assert "trekker: VenJ" in text_2015 and "JenV" not in text_2015
    assert "trekker: Ministerie van Justitie." in text_2010
    assert "VenJ" not in text_2010 and "JenV" not in text_2010


def test_the_manila_page_says_what_it_continues(client, django_user_model):
    manila = Measure.objects.get(title=MANILA)
    viewer = django_user_model.objects.create_user("lezer")
    client.force_login(viewer)
    page = client.get(reverse("measures:detail", args=[manila.pk])).content.decode()
    assert LIAISONS in page
