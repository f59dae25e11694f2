"""One commitment: /commitments/<id>/."""

import pytest
from django.urls import reverse

from measures.models import CommitmentLink, CommitmentLinkKind, Visibility
from tests.commitment_data import (
    kst_plan_commitment,
    letter_2015,
    letter_march_2016,
    sentences_commitment,
)

pytestmark = pytest.mark.usefixtures("english")  # the English source strings (conftest)


def test_it_shows_the_commitment_its_answer_and_history(client, alice, vera):
    commitment = sentences_commitment()
    commitment.fulfil(by=alice, letter=letter_2015(), note="Zie paragraaf 3.")
    client.force_login(vera)
    response = client.get(reverse("measures:commitment_detail", args=[commitment.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "AO kinderpornografie van 20 maart 2014" in page
    assert "Voortgangsbrief aanpak kinderpornografie" in page
    assert "1 juni 2015" in page
    assert "late-badge" in page
    assert "Zie paragraaf 3." in page
    assert "Alice" in page  # the history names who recorded the answer


def test_it_shows_links_both_ways_and_only_visible_measures(client, bob, vera, measure, police):
    sentences = sentences_commitment()
    kst = kst_plan_commitment(letter_made_in=letter_march_2016())
    CommitmentLink.objects.create(source=kst, target=sentences, kind=CommitmentLinkKind.AMENDS)
    measure.visibility = Visibility.CONFIDENTIAL
    measure.save()
    kst.measures.add(measure)
    client.force_login(vera)
    page = client.get(reverse("measures:commitment_detail", args=[kst.pk])).content.decode()
    assert "Gemiddelde strafmaat" in page
    assert "Handboek kindersekstoerisme" not in page  # confidential, vera is no coordinator
    page = client.get(reverse("measures:commitment_detail", args=[sentences.pk])).content.decode()
    assert "Nieuw plan van aanpak kindersekstoerisme" in page
    client.force_login(bob)  # bob works for the police, which owns the measure
    page = client.get(reverse("measures:commitment_detail", args=[kst.pk])).content.decode()
    assert "Handboek kindersekstoerisme" in page


def test_it_answers_404_for_an_unknown_commitment(client, vera):
    client.force_login(vera)
    assert client.get(reverse("measures:commitment_detail", args=[999])).status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_its_query_count_does_not_grow_with_the_links(
    client, vera, count, django_assert_num_queries
):
    commitment = sentences_commitment()
    for number in range(count):
        other = kst_plan_commitment(number=f"T-{number}")
        CommitmentLink.objects.create(
            source=commitment, target=other, kind=CommitmentLinkKind.REPEATS
        )
    client.force_login(vera)
    # 1 session, 2 user, 3 groups, 4 profile, 5 commitment, 6 measures, 7 links, 8 links from,
    # 9 documents, 10 history with users.
    with django_assert_num_queries(10):
        client.get(reverse("measures:commitment_detail", args=[commitment.pk]))
