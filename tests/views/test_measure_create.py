import pytest
from django.urls import reverse

from measures.models import Measure, MeasureStatus

from .english import english  # noqa: F401  (the client asks for English)

URL = reverse("measures:create")


def test_it_redirects_an_anonymous_visitor_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_coordinator_creates_a_measure_with_history_by_her(
    client, alice, plan, prevention, kst, police, prosecution
):
    client.force_login(alice)
    assert client.get(URL).status_code == 200
    response = client.post(
        URL,
        {
            "title": "Nieuwe maatregel",
            "plan": plan.pk,
            "action_line": prevention.pk,
            "theme": kst.pk,
            "owner": police.pk,
            "partners": [prosecution.pk],
            "status": MeasureStatus.COMPLETED,
            "visibility": "public",
            "version": 1,
        },
    )
    measure = Measure.objects.get(title="Nieuwe maatregel")
    assert response.url == measure.get_absolute_url()
    assert list(measure.partners.all()) == [prosecution]
    assert measure.completed_date is not None
    assert measure.history.earliest().history_user == alice


def test_it_shows_errors_on_the_fields_and_creates_nothing(client, alice, plan):
    client.force_login(alice)
    response = client.post(URL, {"plan": plan.pk, "visibility": "public"})
    assert response.status_code == 200
    assert {"title", "theme", "owner"} <= set(response.context["form"].errors)
    assert not Measure.objects.exists()


@pytest.mark.parametrize("who", ["bob", "vera"])
def test_it_refuses_a_contributor_or_viewer_and_says_why(client, request, who, plan):
    client.force_login(request.getfixturevalue(who))
    response = client.get(URL)
    assert response.status_code == 403
    assert "Only a coordinator can create a measure." in response.content.decode()
    assert client.post(URL, {"title": "x"}).status_code == 403
