import pytest
from django.urls import reverse

from measures.models import UpdateState

pytestmark = pytest.mark.usefixtures("english")  # the English source strings (conftest)


@pytest.fixture
def draft(measure, bob):
    return measure.log_progress(by=bob, text="Concept")


def url(update):
    return reverse("measures:approve_update", args=[update.pk])


def test_a_coordinator_approves_a_draft_for_the_letter(client, alice, draft):
    client.force_login(alice)
    response = client.post(url(draft))
    assert response.url == draft.measure.get_absolute_url()
    draft.refresh_from_db()
    assert draft.state == UpdateState.APPROVED
    assert draft.approved_by == alice
    assert draft.history.first().history_user == alice


def test_approving_twice_says_so_and_writes_nothing(client, alice, draft):
    client.force_login(alice)
    client.post(url(draft))
    count = draft.history.count()
    response = client.post(url(draft), follow=True)
    assert "already been approved" in response.content.decode()
    assert draft.history.count() == count


@pytest.mark.parametrize("who", ["bob", "carol", "vera"])
def test_it_refuses_anyone_but_a_coordinator(client, request, who, draft):
    client.force_login(request.getfixturevalue(who))
    response = client.post(url(draft))
    assert response.status_code == 403
    assert "Only a coordinator can approve progress" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == UpdateState.DRAFT


def test_it_refuses_get(client, alice, draft):
    client.force_login(alice)
    assert client.get(url(draft)).status_code == 405
    draft.refresh_from_db()
    assert draft.state == UpdateState.DRAFT


def test_it_redirects_an_anonymous_visitor_to_the_login_page(client, draft):
    response = client.post(url(draft))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_update_changed_since_the_page_was_shown_is_not_approved(client, alice, bob, draft):
    client.force_login(alice)
    shown = client.get(draft.measure.get_absolute_url()).content.decode()
    assert f'name="version" value="{draft.version}"' in shown
    draft.text = "Concept, herschreven"
    draft.save_change(by=bob, expected_version=draft.version)
    response = client.post(url(draft), {"version": 1}, follow=True)
    page = response.content.decode()
    assert "Someone else saved this while you were editing it" in page
    assert "Concept, herschreven" in page  # what changed meanwhile
    draft.refresh_from_db()
    assert draft.state == UpdateState.DRAFT
