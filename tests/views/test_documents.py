"""The document register (/documents/) and a measure's events, as pages."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measures.models import (
    Commitment,
    Document,
    DocumentKind,
    DocumentLink,
    FileKind,
    MeasureEvent,
    MeasureLink,
    MeasureLinkKind,
    ProgressLetter,
    StoredFile,
    Visibility,
)
from tests.factories import make_measure

pytestmark = pytest.mark.usefixtures("english")  # the English source strings (conftest)

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def report(by, title="Evaluatie", links=None, **fields):
    fields.setdefault("date", datetime.date(2015, 1, 1))
    return Document(kind=DocumentKind.EVALUATION, title=title, **fields).save_with_links(
        by=by, links=links or {}
    )


def form_data(**overrides):
    data = {
        "kind": DocumentKind.KAMERSTUK,
        "title": "Voortgangsbrief aanpak kinderpornografie",
        "date": "2015-06-01",
        "dossier": "31 015",
        "number": "112",
        "url": "https://www.tweedekamer.nl/kamerstukken",
        "version": 1,
    }
    data.update(overrides)
    return data


def test_a_coordinator_creates_a_document_with_its_file_and_links(client, alice, measure):
    client.force_login(alice)
    data = form_data(measures=[measure.pk], upload=SimpleUploadedFile("brief.pdf", PDF))
    response = client.post(reverse("measures:document_create"), data)

    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == document.get_absolute_url()
    assert document.reference == "31 015, nr. 112"
    assert document.file.name == "brief.pdf"
    assert document.history.get().history_user == alice
    assert DocumentLink.history.get().history_user == alice
    download = client.get(reverse("measures:document_file", args=[document.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content if download.streaming else [download.content]) == PDF


def test_a_file_of_the_wrong_kind_is_refused_and_nothing_is_written(client, alice):
    client.force_login(alice)
    for upload in (
        SimpleUploadedFile("notities.txt", b"tekst"),
        SimpleUploadedFile("brief.pdf", b"geen pdf"),
    ):
        response = client.post(reverse("measures:document_create"), form_data(upload=upload))
        assert response.status_code == 200
        errors = response.context["form"].errors["upload"]
        assert errors and ("is accepted" in errors[0] or "is not a readable" in errors[0])
    assert not Document.objects.exists()
    assert not StoredFile.objects.exists()


def test_a_bad_web_address_is_refused_with_a_clear_message(client, alice):
    client.force_login(alice)
    response = client.post(reverse("measures:document_create"), form_data(url="javascript:x"))
    assert response.context["form"].errors["url"] == [
        "Enter a web address starting with http:// or https://."
    ]
    assert "There is a problem" in response.content.decode()  # the error summary
    assert not Document.objects.exists()


@pytest.mark.parametrize("user", ["bob", "vera"])
def test_contributors_and_viewers_may_not_create_or_change_documents(client, user, request, alice):
    document = report(alice)
    client.force_login(request.getfixturevalue(user))
    assert client.get(reverse("measures:document_create")).status_code == 403
    assert client.post(reverse("measures:document_create"), form_data()).status_code == 403
    edit = reverse("measures:document_edit", args=[document.pk])
    assert client.post(edit, form_data(title="Anders")).status_code == 403
    assert Document.objects.get().title == "Evaluatie"


def test_a_coordinator_changes_the_links_of_a_document(client, alice, measure):
    document = report(alice, links={"measure": [measure]})
    client.force_login(alice)
    data = form_data(kind=DocumentKind.EVALUATION, dossier="", number="", version=document.version)
    response = client.post(reverse("measures:document_edit", args=[document.pk]), data)
    assert response.status_code == 302
    assert not document.links.exists()
    assert [r.history_type for r in DocumentLink.history.order_by("history_id")] == ["+", "-"]


def test_confidential_measures_never_leak_through_a_document(client, alice, bob, vera, measure):
    secret = make_measure(
        like=measure,
        owner=measure.owner,
        title="Geheime operatie",
        visibility=Visibility.CONFIDENTIAL,
    )
    document = report(alice, links={"measure": [measure, secret]})
    url = reverse("measures:document_detail", args=[document.pk])
    client.force_login(vera)
    page = client.get(url).content.decode()
    assert "Handboek kindersekstoerisme" in page
    assert "Geheime operatie" not in page
    client.force_login(bob)  # the police own it
    assert "Geheime operatie" in client.get(url).content.decode()


def test_the_list_filters_by_kind_and_text(client, alice, vera):
    report(alice, title="Evaluatie van het handboek")
    Document(
        kind=DocumentKind.RESEARCH, title="Onderzoek zedentitel", date=datetime.date(2015, 2, 1)
    ).save_with_links(by=alice, links={})
    client.force_login(vera)
    url = reverse("measures:documents")
    page = client.get(url, {"kind": DocumentKind.RESEARCH}).content.decode()
    assert "Onderzoek zedentitel" in page and "Evaluatie van het handboek" not in page
    page = client.get(url, {"q": "handboek"}).content.decode()
    assert "Evaluatie van het handboek" in page and "Onderzoek zedentitel" not in page


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_and_a_document_page_need_the_same_queries_for_3_and_30(
    client, alice, vera, measure, count, django_assert_num_queries
):
    measures = [
        make_measure(like=measure, owner=measure.owner, title=f"M{i}") for i in range(count)
    ]
    stored = StoredFile.objects.create(
        name="r.pdf", content_type="application/pdf", size=len(PDF), sha256="0", data=PDF
    )
    for i in range(count):
        report(alice, title=f"Rapport {i}", file=stored, links={"measure": measures})
    client.force_login(vera)
    # session, user, groups (who may add), the reader's organisation (which documents the
    # reader may see: readable_measures), the count of the page, the documents with their
    # organisation and file
    with django_assert_num_queries(6):
        response = client.get(reverse("measures:documents"))
    assert len(response.context["page"].object_list) == min(count, 25)
    document = Document.objects.first()
    # session, user, groups (who may edit), the reader's organisation (readable_measures), the
    # document with its organisation and file, its links with their plan, commitment and
    # letter, the measures among them the reader may see
    with django_assert_num_queries(7):
        response = client.get(reverse("measures:document_detail", args=[document.pk]))
    assert len(response.context["linked"]["measure"]) == count


def test_the_owner_adds_an_event_shown_on_the_measure_page(client, bob, measure):
    client.force_login(bob)
    url = reverse("measures:event_create", args=[measure.pk])
    response = client.post(
        url,
        {"date": "2015-03-02", "text": "Liaison aangesteld", "visibility": "public", "version": 1},
    )
    assert response.status_code == 302
    event = MeasureEvent.objects.get()
    assert event.author_organisation == bob.profile.organisation
    assert event.history.get().history_user == bob
    page = client.get(measure.get_absolute_url()).content.decode()
    assert "Liaison aangesteld" in page
    assert "2 maart 2015" in page


def test_another_organisation_may_not_add_events(client, carol, vera, measure):
    for user in (carol, vera):
        client.force_login(user)
        url = reverse("measures:event_create", args=[measure.pk])
        assert client.post(url, {"date": "2015-03-02", "text": "X"}).status_code == 403
    assert not MeasureEvent.objects.exists()


def test_a_future_event_is_refused_with_its_message(client, alice, measure):
    client.force_login(alice)
    url = reverse("measures:event_create", args=[measure.pk])
    response = client.post(
        url, {"date": "2099-01-01", "text": "Later", "visibility": "public", "version": 1}
    )
    assert response.status_code == 200
    assert "lies in the future" in response.content.decode()
    assert not MeasureEvent.objects.exists()


def test_the_measure_page_shows_its_links_both_ways_and_its_documents(client, alice, vera, measure):
    later = make_measure(like=measure, owner=measure.owner, title="FILO in Manilla")
    MeasureLink(source=later, target=measure, kind=MeasureLinkKind.CONTINUES).record(by=alice)
    report(alice, title="Evaluatie van de liaisons", links={"measure": [measure]})
    client.force_login(vera)
    page = client.get(measure.get_absolute_url()).content.decode()
    assert "Continued by" in page and "FILO in Manilla" in page
    assert "Evaluatie van de liaisons" in page
    page = client.get(later.get_absolute_url()).content.decode()
    assert "Continues" in page and "Handboek kindersekstoerisme" in page


@pytest.mark.parametrize("count", [3, 30])
def test_the_measure_page_stays_flat_with_events_documents_and_links(
    client, alice, measure, count, django_assert_num_queries
):
    for i in range(count):
        other = make_measure(like=measure, owner=measure.owner, title=f"Vervolg {i}")
        MeasureLink(source=other, target=measure, kind=MeasureLinkKind.CONTINUES).record(by=alice)
        MeasureEvent(measure=measure, date=datetime.date(2015, 1, 1), text=f"E{i}").save_change(
            by=alice
        )
        report(alice, title=f"R{i}", links={"measure": [measure]})
    client.force_login(alice)
    # as test_measure_detail.py counts it (13)
    with django_assert_num_queries(13):
        response = client.get(measure.get_absolute_url())
    assert len(response.context["events"]) == count
    assert len(response.context["documents"]) == count
    assert len(response.context["measure_linked_from"]) == count


def test_commitment_letter_and_plan_pages_show_their_documents(client, alice, vera, measure):
    commitment = Commitment.objects.create(title="Kamer informeren", text="-")
    letter = ProgressLetter.objects.create(date=datetime.date(2015, 6, 1), title="Voortgangsbrief")
    report(
        alice,
        title="Stuk bij alles",
        links={"commitment": [commitment], "letter": [letter], "plan": [measure.plan]},
    )
    client.force_login(vera)
    for url in (
        reverse("measures:commitment_detail", args=[commitment.pk]),
        reverse("measures:letter_detail", args=[letter.pk]),
        reverse("measures:plans"),
    ):
        assert "Stuk bij alles" in client.get(url).content.decode(), url


def test_the_owner_links_a_measure_to_the_one_it_continues_and_removes_it(client, bob, measure):
    later = make_measure(like=measure, owner=measure.owner, title="FILO in Manilla")
    client.force_login(bob)
    url = reverse("measures:measure_link_create", args=[later.pk])
    response = client.post(url, {"kind": MeasureLinkKind.CONTINUES, "target": measure.pk})
    assert response.status_code == 302
    link = MeasureLink.objects.get()
    assert (link.source, link.target, link.kind) == (later, measure, MeasureLinkKind.CONTINUES)
    # The other way round is the same link: refused with its message, nothing written.
    back = reverse("measures:measure_link_create", args=[measure.pk])
    response = client.post(back, {"kind": MeasureLinkKind.REPLACES, "target": later.pk})
    assert "These two measures are already linked." in response.content.decode()
    assert MeasureLink.objects.count() == 1
    delete = reverse("measures:measure_link_delete", args=[later.pk, link.pk])
    assert client.post(delete).status_code == 302
    assert not MeasureLink.objects.exists()
    assert [r.history_user for r in MeasureLink.history.order_by("history_id")] == [bob, bob]


def test_a_measure_cannot_be_linked_to_itself_through_the_form(client, alice, measure):
    client.force_login(alice)
    url = reverse("measures:measure_link_create", args=[measure.pk])
    response = client.post(url, {"kind": MeasureLinkKind.CONTINUES, "target": measure.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["target"]
    assert not MeasureLink.objects.exists()


def test_a_document_linked_only_to_confidential_measures_is_as_hidden_as_they_are(
    client, alice, bob, carol, vera, measure
):
    """The attack: a viewer or another organisation guessing document numbers, searching the
    register or fetching the file learns nothing of a confidential measure's paper."""
    secret = make_measure(
        like=measure, owner=measure.owner, title="Geheim", visibility=Visibility.CONFIDENTIAL
    )
    hidden = report(alice, title="Rapport over de geheime operatie", links={"measure": [secret]})
    hidden.file = StoredFile.from_upload(SimpleUploadedFile("r.pdf", PDF), [FileKind.PDF])
    hidden.file.save()
    hidden.save_change(by=alice)
    shown = report(alice, title="Openbaar rapport", links={"measure": [measure, secret]})
    unlinked = report(alice, title="Wetsvoorstel zonder maatregel")
    for reader, sees in ((vera, False), (carol, False), (bob, True), (alice, True)):
        client.force_login(reader)
        listing = client.get(reverse("measures:documents"), {"q": "rapport"}).content
        assert ("geheime operatie" in listing.decode()) is sees, reader
        assert "Openbaar rapport" in listing.decode()
        detail = client.get(reverse("measures:document_detail", args=[hidden.pk]))
        assert detail.status_code == (200 if sees else 404), reader
        file = client.get(reverse("measures:document_file", args=[hidden.pk]))
        assert file.status_code == (200 if sees else 404), reader
        for document in (shown, unlinked):
            assert client.get(document.get_absolute_url()).status_code == 200


def test_the_admin_shows_events_and_links_of_confidential_measures_only_to_their_readers(
    client, alice, bob, carol, measure
):
    secret = make_measure(
        like=measure, owner=measure.owner, title="Geheim", visibility=Visibility.CONFIDENTIAL
    )
    MeasureEvent(measure=secret, date=datetime.date(2015, 1, 1), text="Aanhouding X").save_change(
        by=alice
    )
    MeasureLink(source=secret, target=measure, kind=MeasureLinkKind.CONTINUES).record(by=alice)
    report(alice, title="Rapport", links={"measure": [secret]})
    carol.is_staff = True
    carol.save()
    for reader, sees in ((carol, False), (alice, True)):
        client.force_login(reader)
        events = client.get("/admin/measures/measureevent/").content.decode()
        assert ("Geheim" in events) is sees, reader
        links = client.get("/admin/measures/measurelink/").content.decode()
        assert ("Geheim" in links) is sees, reader
        documents = client.get("/admin/measures/document/").content.decode()
        assert ("Rapport" in documents) is sees, reader
