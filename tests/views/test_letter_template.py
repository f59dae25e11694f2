"""The letterhead page (/letters/template/): coordinators set the department's letterhead, its
logo and Word template; a bad file is refused with the reason and nothing is written; the Word
and PDF downloads of a letter need as many queries with a letterhead as the letter needs."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document

from measures.models import LetterTemplate, ProgressLetter, StoredFile
from tests import summary_data
from tests.reports.test_letter_frame import department_template, png
from tests.summary_data import END, START, at, make_measure, make_update

pytestmark = pytest.mark.usefixtures("english")
kp, letters, letter_data = summary_data.kp, summary_data.letters, summary_data.letter_data

URL = "/letters/template/"


def upload(name, data):
    file = io.BytesIO(data)
    file.name = name
    return file


def post(client, **extra):
    data = {
        "department": "Ministerie van Justitie en Veiligheid",
        "sender_address": "Turfmarkt 147\n2511 DP  Den Haag",
        "closing_title": "De Minister van Justitie en Veiligheid,",
        "in_use": "on",
        "version": 1,
    }
    data.update(extra)
    return client.post(URL, data)


def test_a_coordinator_sets_the_letterhead_with_logo_and_template(client, alice):
    client.force_login(alice)
    response = post(
        client,
        logo=upload("logo.png", png()),
        docx=upload("sjabloon.docx", department_template()),
    )

    assert response.status_code == 302
    head = LetterTemplate.objects.in_use()
    assert head.department == "Ministerie van Justitie en Veiligheid"
    assert (
        head.closing_title == "De Minister van Justitie en Veiligheid"
    )  # the comma is the letter's
    assert head.logo.name == "logo.png" and head.docx.name == "sjabloon.docx"
    assert head.docx.uploaded_by == alice
    (record,) = head.history.all()
    assert record.history_user == alice
    page = client.get(URL).content.decode()
    assert "sjabloon.docx" in page and "{{ brieftekst }}" in page


def test_the_page_lists_the_changes(client, alice):
    client.force_login(alice)
    post(client)
    post(client, department="Ministerie van Veiligheid en Justitie", version=1)

    response = client.get(URL)
    assert [r.department for r in response.context["history"]] == [
        "Ministerie van Veiligheid en Justitie",
        "Ministerie van Justitie en Veiligheid",
    ]


@pytest.mark.parametrize(
    ("field", "name", "data", "message"),
    [
        ("docx", "sjabloon.docx", b"not a zip at all", "is not a readable"),
        ("docx", "sjabloon.pdf", b"%PDF-1.4", "A file ending in .docx is accepted"),
        ("docx", "sjabloon.docx", None, "{{ onbekend }}"),
        ("logo", "logo.png", b"GIF89a", "is not a readable"),
    ],
)
def test_a_bad_file_is_refused_with_a_message_and_nothing_is_written(
    client, alice, field, name, data, message
):
    client.force_login(alice)
    if data is None:
        data = department_template(extra="{{ onbekend }}")
        message = "placeholder the tracker does not fill"
    response = post(client, **{field: upload(name, data)})

    assert response.status_code == 400
    errors = response.context["form"].errors[field]
    assert message in " ".join(errors)
    assert not LetterTemplate.objects.exists()
    assert not StoredFile.objects.exists()
    assert 'class="error-summary"' in response.content.decode()


def test_removing_the_template_goes_back_to_the_neutral_frame(client, alice):
    client.force_login(alice)
    post(client, docx=upload("sjabloon.docx", department_template()))
    post(client, remove_docx="on", version=1)

    assert LetterTemplate.objects.in_use().docx is None
    assert StoredFile.objects.count() == 1  # kept: the earlier version points to it


@pytest.mark.parametrize("user", ["bob", "vera"])
def test_contributors_and_viewers_are_refused(client, request, user):
    client.force_login(request.getfixturevalue(user))

    assert client.get(URL).status_code == 403
    assert post(client).status_code == 403
    assert client.get(URL + "example/").status_code == 403
    assert not LetterTemplate.objects.exists()


def test_the_example_template_is_the_neutral_frame_with_placeholders(client, alice):
    client.force_login(alice)
    response = client.get(URL + "example/")

    assert response["Content-Disposition"] == 'attachment; filename="briefsjabloon.docx"'
    texts = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert "{{ brieftekst }}" in texts
    assert "Datum\t{{ datum }}" in texts


def test_the_uploaded_template_comes_back_as_uploaded(client, alice):
    client.force_login(alice)
    template = department_template()
    post(client, docx=upload("sjabloon.docx", template))

    response = client.get(URL + "file/")
    assert response.content == template


def test_the_letter_form_takes_the_frame_fields(client, alice):
    client.force_login(alice)
    response = client.post(
        "/letters/new/",
        {
            "title": "Voortgangsbrief",
            "date": "2015-06-01",
            "period_start": "2014-09-01",
            "period_end": "2015-06-01",
            "addressee": "De Voorzitter\nPostbus 20018",
            "our_reference": "645321",
            "your_reference": "2015Z00001",
            "enclosures": "2",
        },
    )
    assert response.status_code == 302
    saved = ProgressLetter.objects.get(title="Voortgangsbrief")
    assert (saved.addressee, saved.our_reference, saved.your_reference, saved.enclosures) == (
        "De Voorzitter\nPostbus 20018",
        "645321",
        "2015Z00001",
        "2",
    )


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_letter_downloads_need_as_many_queries_for_3_and_30_more_measures(
    client, alice, letter_data, fmt
):
    """With a letterhead (logo and Word template) in use: the count does not grow with the
    letter."""
    client.force_login(alice)
    post(client, logo=upload("logo.png", png()), docx=upload("s.docx", department_template()))
    letter = letter_data["letter"]
    url = f"/letters/{letter.pk}/?format={fmt}"

    def queries(extra):
        handbook = letter_data["handbook"]
        for i in range(extra):
            measure = make_measure(
                handbook.plan,
                handbook.action_line,
                handbook.theme,
                handbook.owner,
                f"Extra {extra} {i}",
                at(START, 9, i),
            )
            make_update(measure, END, f"Voortgang {i}", minute=i)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured)

    assert queries(3) == queries(30)
