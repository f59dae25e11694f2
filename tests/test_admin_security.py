"""The admin: only administrators move users between organisations; no regular-expression
lookups in a changelist URL."""

import pytest
from django.contrib import admin

from measures.models import Profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(username="root", password="pw-root")


def test_a_coordinator_cannot_move_a_user_to_another_organisation(client, alice, bob, prosecution):
    profile = Profile.objects.get(user=bob)
    client.force_login(alice)
    url = f"/admin/measures/profile/{profile.pk}/change/"
    response = client.post(url, {"user": bob.pk, "organisation": prosecution.pk})
    assert response.status_code == 403
    profile.refresh_from_db()
    assert profile.organisation.abbreviation != prosecution.abbreviation
    assert client.get(url).status_code == 200  # reading stays allowed
    assert client.post("/admin/measures/profile/add/", {}).status_code == 403
    assert (
        client.post(f"/admin/measures/profile/{profile.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Profile.objects.filter(pk=profile.pk).exists()


def test_an_administrator_can_move_a_user_to_another_organisation(
    client, superuser, bob, prosecution
):
    profile = Profile.objects.get(user=bob)
    client.force_login(superuser)
    response = client.post(
        f"/admin/measures/profile/{profile.pk}/change/",
        {"user": bob.pk, "organisation": prosecution.pk},
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.organisation == prosecution
    assert profile.history.latest().history_user == superuser


@pytest.mark.parametrize("lookup", ["title__regex", "title__iregex", "owner__name__regex"])
def test_a_regular_expression_lookup_is_refused_with_400(client, alice, measure, lookup):
    client.force_login(alice)
    response = client.get(f"/admin/measures/measure/?{lookup}=[]")
    assert response.status_code == 400


def test_every_admin_refuses_regular_expression_lookups(client, superuser):
    client.force_login(superuser)
    assert client.get("/admin/auth/user/?username__regex=[").status_code == 400
    for model_admin in admin.site._registry.values():
        assert not model_admin.lookup_allowed("pk__regex", "[", None)


def test_ordinary_filters_still_work(client, alice, measure):
    client.force_login(alice)
    response = client.get(f"/admin/measures/measure/?owner__id__exact={measure.owner_id}")
    assert response.status_code == 200
    assert measure.title in response.content.decode()
