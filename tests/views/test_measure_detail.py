import datetime

import pytest
from django.urls import NoReverseMatch, reverse

from measures.models import Commitment, Country, Measure

pytestmark = pytest.mark.usefixtures("english")  # the English source strings (conftest)


def url(measure):
    return reverse("measures:detail", args=[measure.pk])


def test_it_redirects_an_anonymous_visitor_to_the_login_page(client, measure):
    response = client.get(url(measure))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_shows_every_field_partners_countries_parent_and_sub_measures(
    client, vera, measure, prosecution, ministry
):
    measure.description = "Een handboek voor reisorganisaties."
    measure.budget_eur = 2000000
    measure.save()
    measure.partners.add(prosecution)
    measure.countries.add(Country.objects.create(name="Thailand", code="TH"))
    child = Measure.objects.create(
        plan=measure.plan,
        theme=measure.theme,
        owner=ministry,
        title="Deelmaatregel",
        parent=measure,
    )
    commitment = Commitment.objects.create(title="Kamer informeren", text="-")
    commitment.measures.add(measure)
    client.force_login(vera)
    content = client.get(url(measure)).content.decode()
    for text in [
        measure.title,
        "Een handboek voor reisorganisaties.",
        "€ 2.000.000",
        "OM",
        "Thailand",
        "Deelmaatregel",
        "Kamer informeren",
        "Preventie",
    ]:
        assert text in content
    child_content = client.get(url(child)).content.decode()
    assert f'href="{url(measure)}"' in child_content


def test_it_shows_the_progress_timeline_with_author_organisation_and_badges(
    client, vera, bob, alice, measure
):
    measure.log_progress(by=bob, text="Concept van Bob", next_steps="Drukken", status="delayed")
    measure.log_progress(by=alice, text="Akkoord van Alice")
    client.force_login(vera)
    response = client.get(url(measure))
    content = response.content.decode()
    assert "Concept van Bob" in content and "Drukken" in content
    assert "Bob (Politie)" in content
    assert "Draft" in content and "Approved for the letter" in content
    assert "Delayed" in content


def test_a_viewer_gets_no_edit_or_progress_buttons(client, vera, measure):
    client.force_login(vera)
    content = client.get(url(measure)).content.decode()
    assert reverse("measures:edit", args=[measure.pk]) not in content
    assert reverse("measures:log_progress", args=[measure.pk]) not in content


def test_the_owning_contributor_gets_edit_and_progress_buttons_but_cannot_approve(
    client, bob, measure
):
    measure.log_progress(by=bob, text="Concept")
    client.force_login(bob)
    content = client.get(url(measure)).content.decode()
    assert reverse("measures:edit", args=[measure.pk]) in content
    assert reverse("measures:log_progress", args=[measure.pk]) in content
    assert "Approve for the letter" not in content


def test_another_organisation_gets_no_buttons(client, carol, measure):
    client.force_login(carol)
    content = client.get(url(measure)).content.decode()
    assert reverse("measures:edit", args=[measure.pk]) not in content


def test_a_coordinator_can_approve_a_draft_from_the_page(client, alice, bob, measure):
    update = measure.log_progress(by=bob, text="Concept")
    client.force_login(alice)
    content = client.get(url(measure)).content.decode()
    assert reverse("measures:approve_update", args=[update.pk]) in content


def test_the_history_link_appears_only_when_the_history_page_exists(client, vera, measure):
    client.force_login(vera)
    content = client.get(url(measure)).content.decode()
    try:
        history_url = reverse("measures:history", args=[measure.pk])
    except NoReverseMatch:
        assert "/history" not in content
    else:
        assert history_url in content


@pytest.mark.parametrize("who", ["vera", "carol"])
def test_a_confidential_measure_is_not_found_for_a_viewer_or_another_organisation(
    client, request, who, confidential
):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(confidential)).status_code == 404


def test_a_confidential_measure_is_shown_to_its_owner_and_the_coordinator(
    client, bob, alice, confidential
):
    for user in (bob, alice):
        client.force_login(user)
        assert client.get(url(confidential)).status_code == 200


def test_it_hides_confidential_sub_measures_from_a_viewer(client, vera, measure, confidential):
    confidential.parent = measure
    confidential.save()
    client.force_login(vera)
    assert confidential.title not in client.get(url(measure)).content.decode()


@pytest.mark.parametrize("size", [3, 30])
def test_its_query_count_does_not_grow_with_the_programme(
    client, alice, programme, size, django_assert_num_queries
):
    measures = programme(size)
    for child in measures[1:]:
        child.parent = measures[0]
        child.save()
    client.force_login(alice)
    # session, user, groups, measure with its joins, partners, countries, commitments,
    # progress updates with authors, visible sub-measures, events, links to documents with
    # the documents, links to earlier measures, links from later measures
    with django_assert_num_queries(13):
        response = client.get(url(measures[0]))
    assert len(response.context["measure"].visible_children) == size - 1


def test_linked_commitments_link_to_their_page(client, vera, measure):
    commitment = Commitment.objects.create(title="Kamer informeren", text="-")
    commitment.measures.add(measure)
    client.force_login(vera)
    content = client.get(url(measure)).content.decode()
    assert f'href="{reverse("measures:commitment_detail", args=[commitment.pk])}"' in content


def test_it_shows_the_day_the_measure_joined_and_since_when_its_status_holds(client, vera, measure):
    measure.joined_on = datetime.date(2016, 2, 1)
    measure.status_since = datetime.date(2016, 5, 1)
    measure.save()
    client.force_login(vera)
    content = client.get(url(measure)).content.decode()
    assert '<dd class="col-sm-7" id="joined-on">1 februari 2016</dd>' in content
    assert '<dd class="col-sm-7" id="status-since">in progress since 1 mei 2016</dd>' in content
    assert "(estimated)" not in content


def test_it_marks_estimated_dates(client, vera, alice, measure):
    measure.joined_on = measure.status_since = datetime.date(2016, 2, 1)
    measure.joined_on_is_estimated = measure.status_since_is_estimated = True
    measure.save()
    update = measure.log_progress(by=alice, date=datetime.date(2016, 9, 6), text="Uit de brief")
    update.date_is_estimated = True
    update.save()
    client.force_login(vera)
    content = client.get(url(measure)).content.decode()
    assert "1 februari 2016 (estimated)</dd>" in content
    assert "in progress since 1 februari 2016 (estimated)</dd>" in content
    assert "6 september 2016 <span" in content and "(date estimated)" in content
