"""The set-up page /setup/ and creating and changing themes and organisations there."""

import pytest
from django.urls import reverse

from measures.models import Organisation, OrganisationKind, Theme

pytestmark = pytest.mark.usefixtures("english")  # the English source strings (conftest)

URL = reverse("measures:setup")
NEW_THEME = reverse("measures:theme_create")
NEW_ORGANISATION = reverse("measures:organisation_create")


def theme_data(**changes):
    return {"name": "Zeden", "name_en": "Sexual offences", "code": "zeden", "order": "3", **changes}


def organisation_data(**changes):
    return {
        "name": "Koninklijke Marechaussee",
        "abbreviation": "KMar",
        "kind": OrganisationKind.MARECHAUSSEE,
        "parent": "",
        "country": "",
        **changes,
    }


def test_it_lists_themes_and_organisations_with_their_links(client, alice, kst, police):
    client.force_login(alice)
    page = client.get(URL).content.decode()
    assert "Kindersekstoerisme" in page and "Nationale Politie" in page
    assert reverse("measures:theme_edit", args=[kst.pk]) in page
    assert reverse("measures:organisation_edit", args=[police.pk]) in page


@pytest.mark.parametrize("count", [2, 20])
def test_its_query_count_does_not_grow_with_the_rows(
    client, alice, count, django_assert_num_queries
):
    for i in range(count):
        Theme.objects.create(code=f"t{i}", name=f"Thema {i}")
        Organisation.objects.create(name=f"Organisatie {i}", kind=OrganisationKind.NGO)
    client.force_login(alice)
    # 1 session, 2 user, 3 the user's groups (coordinator?), 4 themes, 5 organisations.
    with django_assert_num_queries(5):
        response = client.get(URL)
    assert response.status_code == 200


def test_a_coordinator_creates_a_theme_with_history(client, alice):
    client.force_login(alice)
    response = client.post(NEW_THEME, theme_data())
    assert response.status_code == 302 and response["Location"] == URL
    theme = Theme.objects.get(code="zeden")
    assert theme.history.get().history_user == alice


def test_a_coordinator_changes_a_theme(client, alice, kst):
    client.force_login(alice)
    url = reverse("measures:theme_edit", args=[kst.pk])
    response = client.post(url, theme_data(code="kst", name="Kindersekstoerisme (KST)"))
    assert response.status_code == 302
    kst.refresh_from_db()
    assert kst.name == "Kindersekstoerisme (KST)"
    assert kst.history.latest().history_user == alice


def test_a_theme_code_is_unique(client, alice, kst):
    client.force_login(alice)
    response = client.post(NEW_THEME, theme_data(code="kst"))
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert "Error:" in response.content.decode()
    assert Theme.objects.count() == 1


def test_a_coordinator_creates_and_changes_an_organisation(client, alice, police):
    client.force_login(alice)
    response = client.post(NEW_ORGANISATION, organisation_data())
    assert response.status_code == 302
    kmar = Organisation.objects.get(abbreviation="KMar")
    assert kmar.history.get().history_user == alice
    url = reverse("measures:organisation_edit", args=[police.pk])
    response = client.post(
        url, organisation_data(name="Politie", abbreviation="NP", kind=OrganisationKind.POLICE)
    )
    assert response.status_code == 302
    police.refresh_from_db()
    assert (police.name, police.abbreviation) == ("Politie", "NP")


def test_an_organisation_needs_a_kind(client, alice):
    client.force_login(alice)
    response = client.post(NEW_ORGANISATION, organisation_data(kind=""))
    assert "kind" in response.context["form"].errors
    assert not Organisation.objects.filter(abbreviation="KMar").exists()


@pytest.mark.parametrize("user", ["bob", "vera"])
def test_contributors_and_readers_are_refused(client, request, user, kst, police):
    client.force_login(request.getfixturevalue(user))
    assert client.get(URL).status_code == 403
    assert client.post(NEW_THEME, theme_data()).status_code == 403
    assert client.post(NEW_ORGANISATION, organisation_data()).status_code == 403
    edit = reverse("measures:organisation_edit", args=[police.pk])
    assert client.post(edit, organisation_data()).status_code == 403
    assert not Theme.objects.filter(code="zeden").exists()
    assert not Organisation.objects.filter(abbreviation="KMar").exists()


def test_anonymous_is_sent_to_log_in(client, kst):
    for url in (URL, NEW_THEME, reverse("measures:theme_edit", args=[kst.pk])):
        response = client.post(url, theme_data())
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
