"""Documents, events, links between measures and former names in the letter: the builder reads
them as known at its moment (`records_at`) and every renderer prints them."""

import datetime
import io
import zipfile

import pytest

from measures.models import (
    Document,
    DocumentKind,
    MeasureEvent,
    MeasureLink,
    MeasureLinkKind,
    OrganisationName,
)
from measures.reports.renderers.docx import render_docx
from measures.reports.renderers.html import render_letter_html
from measures.reports.renderers.markdown import render_markdown
from measures.reports.renderers.pdf import render_pdf_html
from measures.reports.summary import build_summary, letter_summary
from tests import summary_data
from tests.summary_data import END, START, at, make_measure

kp, letters, letter_data = summary_data.kp, summary_data.letters, summary_data.letter_data


def document(by, moment, links, **fields):
    """A document recorded at `moment` and linked to `links` ({"measure": [...], ...})."""
    return Document(**fields).save_with_links(by=by, links=links, history_date=moment)


def event(by, measure, day, text, moment, **fields):
    return MeasureEvent(measure=measure, date=day, text=text, **fields).save_change(
        by=by, history_date=moment
    )


def docx_text(data):
    """The text of the Word file's body and footnotes."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return (
            package.read("word/document.xml").decode() + package.read("word/footnotes.xml").decode()
        )


def entry(summary, measure):
    return next(m for m in summary.measures if m.id == measure.pk)


def every_format(summary):
    """The letter in HTML, Markdown, the PDF's HTML and Word (body and footnotes)."""
    return {
        "html": str(render_letter_html(summary)),
        "markdown": render_markdown(summary),
        "pdf": render_pdf_html(summary),
        "docx": docx_text(render_docx(summary)),
    }


def test_a_report_linked_to_a_measure_is_cited_in_a_footnote_in_every_format(
    letter_data, alice, police
):
    handbook = letter_data["handbook"]
    document(
        alice,
        at(datetime.date(2015, 2, 1)),
        {"measure": [handbook]},
        kind=DocumentKind.EVALUATION,
        title="Evaluatie van het handboek",
        date=datetime.date(2015, 1, 30),
        organisation=police,
        url="https://example.org/evaluatie.pdf",
    )
    summary = letter_summary(letter_data["letter"])

    text = "Evaluatie van het handboek, Nationale Politie, 30 januari 2015. "
    text += "https://example.org/evaluatie.pdf"
    note = next(n for n in summary.notes if n.text == text)
    assert note.number in entry(summary, handbook).notes
    for name, output in every_format(summary).items():
        assert "Evaluatie van het handboek, Nationale Politie, 30 januari 2015" in output, name


def test_a_parliamentary_paper_is_cited_as_the_letters_write_it_and_once(letter_data, alice):
    """The letters write "Kamerstuk 31 015, nr. 93."; the same paper cited by a measure's
    source reference and by a linked document is one footnote."""
    filo, handbook = letter_data["filo"], letter_data["handbook"]
    filo.source_reference = "31 015, nr. 93"
    filo.save()
    document(
        alice,
        at(datetime.date(2014, 10, 1)),
        {"measure": [filo, handbook]},
        kind=DocumentKind.KAMERSTUK,
        title="Plan van aanpak kindersekstoerisme",
        date=datetime.date(2013, 10, 9),
        dossier="31 015",
        number="93",
    )
    summary = letter_summary(letter_data["letter"])

    cited = [n for n in summary.notes if n.text == "Kamerstuk 31 015, nr. 93."]
    assert len(cited) == 1
    assert entry(summary, filo).notes == [cited[0].number]
    assert entry(summary, handbook).notes == [cited[0].number]


def test_a_document_linked_to_a_commitment_is_cited_with_it(letter_data, alice):
    motion = letter_data["motion"]
    document(
        alice,
        at(datetime.date(2014, 12, 18)),
        {"commitment": [motion]},
        kind=DocumentKind.KAMERSTUK,
        title="Brief over de uitvoering van de motie Berndsen-Jansen",
        date=datetime.date(2014, 12, 18),
        dossier="29 628",
        number="500",
    )
    summary = letter_summary(letter_data["letter"])

    commitment = next(c for c in summary.commitments if c.id == motion.pk)
    note = next(n for n in summary.notes if n.text == "Kamerstuk 29 628, nr. 500.")
    assert note.number in commitment.notes
    assert "Kamerstuk 29 628, nr. 500." in render_markdown(summary)


def test_an_event_in_the_period_appears_under_its_measure_which_counts_as_reported(
    letter_data, alice
):
    handbook = letter_data["handbook"]
    toolkit = make_measure(
        letter_data["plan"],
        letter_data["lines"][1],
        handbook.theme,
        handbook.owner,
        "Stille maatregel",
        at(datetime.date(2014, 1, 2)),
    )
    assert entry(letter_summary(letter_data["letter"]), toolkit).is_reported is False
    event(
        alice,
        toolkit,
        datetime.date(2015, 3, 2),
        "De kwartiermaker van de toolkit is aangesteld.",
        at(datetime.date(2015, 3, 3)),
    )
    event(
        alice,
        toolkit,
        datetime.date(2015, 6, 2),
        "Na de periode gebeurd.",
        at(datetime.date(2015, 6, 2)),
    )
    summary = letter_summary(letter_data["letter"])

    toolkit_entry = entry(summary, toolkit)
    assert [e.text for e in toolkit_entry.events] == [
        "De kwartiermaker van de toolkit is aangesteld."
    ]
    assert toolkit_entry.is_reported
    for name, output in every_format(summary).items():
        assert "De kwartiermaker van de toolkit is aangesteld." in output, name
        assert "2 maart 2015" in output, name
        assert "Na de periode gebeurd." not in output, name


def test_an_internal_event_stays_out_of_the_letter(letter_data, alice):
    toolkit = letter_data["toolkit"]
    event(
        alice,
        toolkit,
        datetime.date(2015, 3, 2),
        "Alleen voor intern gebruik.",
        at(datetime.date(2015, 3, 3)),
        visibility="internal",
    )
    summary = letter_summary(letter_data["letter"])
    assert entry(summary, toolkit).events == []


def test_a_measure_that_continues_another_says_so_both_ways_in_every_format(letter_data, alice):
    handbook, toolkit = letter_data["handbook"], letter_data["toolkit"]
    link = MeasureLink(source=toolkit, target=handbook, kind=MeasureLinkKind.CONTINUES)
    link.record(by=alice, history_date=at(datetime.date(2015, 3, 1)))
    summary = letter_summary(letter_data["letter"])

    for name, output in every_format(summary).items():
        assert (
            "Deze maatregel wordt voortgezet in «Toolkit Aanpak Kindersekstoerisme»." in output
        ), name


def test_a_sent_letter_rebuilt_shows_the_documents_linked_when_it_was_sent(letter_data, alice):
    handbook = letter_data["handbook"]
    letter = letter_data["letter"]
    first = document(
        alice,
        at(datetime.date(2015, 5, 1)),
        {"measure": [handbook]},
        kind=DocumentKind.RESEARCH,
        title="Eerste onderzoek",
        date=datetime.date(2015, 4, 1),
    )
    letter.mark_sent(by=alice, at=at(END, 16))
    # After sending: the first is unlinked, another linked.
    first.save_with_links(by=alice, links={"measure": []})
    document(
        alice,
        None,
        {"measure": [handbook]},
        kind=DocumentKind.RESEARCH,
        title="Later onderzoek",
        date=datetime.date(2015, 5, 1),
    )

    as_sent = [n.text for n in letter_summary(letter).notes]
    as_known_now = [n.text for n in letter_summary(letter, now=True).notes]
    assert any(text.startswith("Eerste onderzoek") for text in as_sent)
    assert not any(text.startswith("Later onderzoek") for text in as_sent)
    assert any(text.startswith("Later onderzoek") for text in as_known_now)
    assert not any(text.startswith("Eerste onderzoek") for text in as_known_now)


def test_a_letter_names_an_organisation_as_it_was_called_then(letter_data, alice, ministry):
    OrganisationName.objects.create(
        organisation=ministry,
        name="Ministerie van Veiligheid en Justitie",
        abbreviation="VenJ",
        used_until=datetime.date(2017, 10, 25),
    )
    toolkit = letter_data["toolkit"]  # owned by the ministry
    then = build_summary(START, END)
    later = build_summary(datetime.date(2018, 1, 1), datetime.date(2018, 6, 1))

    assert entry(then, toolkit).owner == "VenJ"
    assert "trekker: VenJ" in render_markdown(then)
    assert entry(later, toolkit).owner == "JenV"


@pytest.mark.parametrize("count", [3, 30])
def test_documents_events_and_links_keep_the_builder_flat(
    count, letter_data, alice, django_assert_num_queries
):
    plan, line = letter_data["plan"], letter_data["lines"][1]
    handbook = letter_data["handbook"]
    measures = [
        make_measure(
            plan, line, handbook.theme, handbook.owner, f"Maatregel {i}", at(START, 13, i % 60)
        )
        for i in range(count)
    ]
    for i, measure in enumerate(measures):
        moment = at(datetime.date(2015, 1, 5), 9 + i // 60, i % 60)
        event(alice, measure, datetime.date(2015, 1, 5), f"Gebeurtenis {i}", moment)
        MeasureLink(source=measure, target=handbook, kind=MeasureLinkKind.CONTINUES).record(
            by=alice
        )
        document(
            alice,
            None,
            {"measure": [measure]},
            kind=DocumentKind.RESEARCH,
            title=f"Rapport {i}",
            date=datetime.date(2015, 1, 5),
        )
    # As in test_summary.py's count, with the documents linked now read (one query more).
    with django_assert_num_queries(17):
        summary = build_summary(START, END)
    assert sum(len(m.events) for m in summary.measures) == count
    assert len(summary.notes) >= count
