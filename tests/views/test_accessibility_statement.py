"""The accessibility statement: public, linked from every page's footer, naming its standard,
its tests, its known limitations and a contact."""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

URL = reverse("measures:accessibility")


def test_it_is_public(client, django_assert_num_queries):
    # No queries: no session, no user, nothing from the database.
    with django_assert_num_queries(0):
        response = client.get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    for heading in ("The standard we aim at", "How it is tested", "Known limitations"):
        assert heading in text
    assert "WCAG" in text and "EN 301 549" in text and "axe-core" in text


def test_it_says_the_contact_is_still_to_be_filled_in_until_it_is_set(client, settings):
    settings.TRACKER_ACCESSIBILITY_CONTACT = ""
    assert "To be filled in before going live" in client.get(URL).content.decode()
    settings.TRACKER_ACCESSIBILITY_CONTACT = "toegankelijkheid@minjenv.example"
    text = client.get(URL).content.decode()
    assert "toegankelijkheid@minjenv.example" in text
    assert "To be filled in" not in text


def test_the_footer_links_to_it_before_and_after_logging_in(client, alice):
    assert f'href="{URL}"' in client.get(reverse("login")).content.decode()
    client.force_login(alice)
    assert f'href="{URL}"' in client.get(reverse("measures:dashboard")).content.decode()
