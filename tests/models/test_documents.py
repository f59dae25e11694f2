"""The document register's, events' and measure links' own rules: a clear message and nothing
written for bad input, and a history row with its user for every write."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from measures.models import (
    Document,
    DocumentKind,
    DocumentLink,
    MeasureEvent,
    MeasureLink,
    MeasureLinkKind,
)
from tests.factories import make_measure

pytestmark = pytest.mark.usefixtures("english")  # the English source strings (conftest)


@pytest.fixture
def toolkit(measure):
    return make_measure(
        plan=measure.plan, theme=measure.theme, owner=measure.owner, title="Toolkit"
    )


def report(**fields):
    return Document(
        kind=DocumentKind.RESEARCH, title="Rapport", date=datetime.date(2015, 1, 1), **fields
    )


def test_a_measure_cannot_be_linked_to_itself(alice, measure):
    with pytest.raises(ValidationError) as refused:
        MeasureLink(source=measure, target=measure, kind=MeasureLinkKind.CONTINUES).record(by=alice)
    assert "A measure cannot be linked to itself." in str(refused.value)
    assert not MeasureLink.objects.exists()
    assert not MeasureLink.history.exists()


def test_two_measures_are_linked_once_whichever_way(alice, measure, toolkit):
    MeasureLink(source=toolkit, target=measure, kind=MeasureLinkKind.CONTINUES).record(by=alice)
    for source, target in ((toolkit, measure), (measure, toolkit)):
        with pytest.raises(ValidationError) as refused:
            MeasureLink(source=source, target=target, kind=MeasureLinkKind.REPLACES).record(
                by=alice
            )
        assert "These two measures are already linked." in str(refused.value)
    assert MeasureLink.objects.count() == 1
    assert MeasureLink.history.get().history_user == alice


def test_a_web_address_must_be_http_or_https(alice):
    for address in ("javascript:alert(1)", "ftp://example.org/x.pdf", "example"):
        with pytest.raises(ValidationError) as refused:
            report(url=address).save_with_links(by=alice, links={})
        assert "Enter a web address starting with http:// or https://." in str(refused.value)
    assert not Document.objects.exists()
    report(url="https://www.tweedekamer.nl/kamerstukken").save_with_links(by=alice, links={})
    assert Document.objects.count() == 1


def test_a_parliamentary_paper_needs_its_dossier_and_number(alice):
    paper = Document(kind=DocumentKind.KAMERSTUK, title="Brief", date=datetime.date(2015, 6, 1))
    with pytest.raises(ValidationError) as refused:
        paper.save_with_links(by=alice, links={})
    assert refused.value.message_dict["dossier"] == [
        "A parliamentary paper needs its dossier number."
    ]
    assert refused.value.message_dict["number"] == [
        "A parliamentary paper needs its number in the dossier."
    ]
    assert not Document.objects.exists()
    paper.dossier, paper.number = "31 015", "112"
    paper.save_with_links(by=alice, links={})
    assert str(paper) == "31 015, nr. 112: Brief"


def test_links_are_rows_with_their_own_history_and_their_user(alice, measure, toolkit):
    document = report().save_with_links(by=alice, links={"measure": [measure, toolkit]})
    assert set(document.links.values_list("measure_id", flat=True)) == {measure.pk, toolkit.pk}
    document.save_with_links(by=alice, links={"measure": [toolkit]})
    records = DocumentLink.history.order_by("history_date", "history_id")
    assert [r.history_type for r in records] == ["+", "+", "-"]
    assert {r.history_user for r in records} == {alice}
    assert document.history.first().history_user == alice


def test_a_document_is_linked_to_one_thing_once(alice, measure):
    document = report().save_with_links(by=alice, links={"measure": [measure]})
    with pytest.raises(ValidationError) as refused:
        DocumentLink(document=document, measure=measure).record(by=alice)
    assert "The document is already linked to this." in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        DocumentLink(document=document).record(by=alice)
    assert "Link the document to one measure, plan, commitment or letter." in str(refused.value)
    assert DocumentLink.objects.count() == 1


def test_an_event_has_a_past_date_and_a_text(alice, measure):
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as refused:
        MeasureEvent(measure=measure, date=tomorrow, text="Later").save_change(by=alice)
    assert "date" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        MeasureEvent(measure=measure, date=datetime.date(2015, 1, 1), text="  ").save_change(
            by=alice
        )
    assert refused.value.message_dict["text"] == ["Say what happened."]
    assert not MeasureEvent.objects.exists()
    event = MeasureEvent(measure=measure, date=datetime.date(2015, 1, 1), text="Aangesteld")
    event.save_change(by=alice)
    assert event.history.get().history_user == alice
