"""The register of commitments and motions: /commitments/."""

import datetime

import pytest
from django.urls import reverse

from measures.models import CommitmentKind, CommitmentLink, CommitmentLinkKind, CommitmentStatus
from tests.commitment_data import (
    kst_plan_commitment,
    letter_2015,
    letter_march_2016,
    letter_september_2016,
    open_commitment,
    sentences_commitment,
)

pytestmark = pytest.mark.usefixtures("english")  # the English source strings (conftest)


URL = reverse("measures:commitments")


@pytest.fixture
def register(alice):
    """The two late answers from the letters, and one motion still open past its deadline."""
    sentences = sentences_commitment()
    sentences.fulfil(by=alice, letter=letter_2015())
    kst = kst_plan_commitment(letter_made_in=letter_march_2016())
    kst.fulfil(by=alice, letter=letter_september_2016())
    motion = open_commitment(
        "M-2015-01",
        datetime.date(2015, 12, 1),
        title="Motie Berndsen-Jansen: bijdrage aan Interpol",
        kind=CommitmentKind.MOTION,
    )
    return {"sentences": sentences, "kst": kst, "motion": motion}


def rows(response):
    return list(response.context["filter"].qs)


def test_it_shows_the_facts_of_a_late_answer(client, vera, register):
    client.force_login(vera)
    response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Gemiddelde strafmaat in kinderpornozaken" in page
    assert "AO kinderpornografie van 20 maart 2014" in page
    assert "in de volgende voortgangsrapportage" in page
    assert "4 september 2014" in page
    assert "Voortgangsbrief aanpak kinderpornografie" in page  # the letter that answered it
    assert "1 juni 2015" in page
    assert "voor het zomerreces" in page
    assert "1 juli 2016" in page
    assert "6 september 2016" in page
    assert page.count('class="badge text-bg-warning status-badge late-badge"') == 2
    assert register["sentences"].is_late and register["kst"].is_late


def test_it_marks_overdue_commitments_in_words(client, vera, register):
    client.force_login(vera)
    page = client.get(URL).content.decode()
    assert page.count("overdue-badge") == 1
    motion_row = page.split("Motie Berndsen-Jansen")[1].split("</tr>")[0]
    assert "overdue-badge" in motion_row


def test_it_filters_by_status(client, vera, register):
    client.force_login(vera)
    response = client.get(URL, {"status": CommitmentStatus.OPEN})
    assert rows(response) == [register["motion"]]


def test_it_filters_by_kind(client, vera, register):
    client.force_login(vera)
    response = client.get(URL, {"kind": CommitmentKind.COMMITMENT})
    assert set(rows(response)) == {register["sentences"], register["kst"]}


def test_it_filters_overdue_ones(client, vera, register):
    open_commitment("T-2099-01", datetime.date(2099, 1, 1))
    client.force_login(vera)
    response = client.get(URL, {"overdue": "on"})
    assert rows(response) == [register["motion"]]


def test_it_filters_on_a_due_date_range(client, vera, register):
    client.force_login(vera)
    response = client.get(URL, {"due_from": "2015-01-01", "due_to": "2016-06-30"})
    assert rows(response) == [register["motion"]]
    response = client.get(URL, {"due_from": "2016-01-01"})
    assert rows(response) == [register["kst"]]


def test_it_searches_the_text(client, vera, register):
    client.force_login(vera)
    response = client.get(URL, {"q": "zomerreces"})
    assert rows(response) == []  # the deadline is not searched, the subject and text are
    response = client.get(URL, {"q": "kindersekstoerisme plan"})
    assert rows(response) == [register["kst"]]
    response = client.get(URL, {"q": "31 015, nr. 101"})
    assert rows(response) == [register["sentences"]]


def test_it_shows_links_between_commitments(client, vera, register):
    CommitmentLink.objects.create(
        source=register["kst"], target=register["sentences"], kind=CommitmentLinkKind.SUPPLEMENTS
    )
    client.force_login(vera)
    page = client.get(URL).content.decode()
    assert "Supplements" in page


def test_it_asks_anonymous_visitors_to_log_in(client, register):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def make_commitments(count, measure):
    """Make `count` open commitments on `measure`, each repeating the one before."""
    previous = None
    for number in range(count):
        commitment = open_commitment(f"T-{number:03}", datetime.date(2014, 1, 2))
        commitment.measures.add(measure)
        if previous is not None:
            CommitmentLink.objects.create(
                source=commitment, target=previous, kind=CommitmentLinkKind.REPEATS
            )
        previous = commitment


@pytest.mark.parametrize("count", [3, 30])
def test_its_query_count_does_not_grow_with_the_rows(
    client, bob, measure, count, django_assert_num_queries
):
    make_commitments(count, measure)
    client.force_login(bob)
    # 1 session, 2 user, 3 the user's groups, 4 profile, 5 organisation (both for visible_to),
    # 6 commitments with their letters, 7 measures (visible, with owner), 8 links with targets,
    # 9 links from other commitments.
    with django_assert_num_queries(9):
        response = client.get(URL)
    assert len(rows(response)) == count
