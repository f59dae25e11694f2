"""Every sub-page has a way back: one breadcrumb trail (templates/measures/_breadcrumbs.html,
the `breadcrumbs` tag) that names the page itself and links to the pages above it."""

import datetime

import pytest
from django.urls import reverse
from lxml import html

from measures.models import ProgressLetter

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def trail(response):
    """Return ([(href, text) of the links], the current page's name) of the page's trail."""
    assert response.status_code == 200
    navs = html.fromstring(response.content).xpath('//nav[@aria-label="Breadcrumb"]')
    assert len(navs) == 1, "not one breadcrumb trail"
    links = [(a.get("href"), a.text_content().strip()) for a in navs[0].iter("a")]
    return links, navs[0].xpath('.//*[@aria-current="page"]')[0].text_content().strip()


@pytest.fixture
def letter(alice):
    return ProgressLetter.objects.create(date=datetime.date(2015, 6, 1), title="Brief juni")


@pytest.mark.parametrize(
    ("name", "current"),
    [
        ("measures:history", "History"),
        ("measures:log_progress", "Log progress"),
        ("measures:edit", "Edit measure"),
    ],
)
def test_a_measures_sub_pages_lead_back_to_the_measure_and_the_list(
    client, alice, measure, name, current
):
    client.force_login(alice)
    links, here = trail(client.get(reverse(name, args=[measure.pk])))
    assert links[0] == (reverse("measures:list"), "Measures")
    assert links[1][0] == measure.get_absolute_url()
    assert here == current


@pytest.mark.parametrize(
    ("path", "first", "current"),
    [
        (
            lambda letter: reverse("measures:letter_detail", args=[letter.pk]),
            "measures:letters",
            "Brief juni",
        ),
        (lambda letter: reverse("measures:letter_create"), "measures:letters", "New draft letter"),
        (lambda letter: reverse("measures:compare"), "measures:changes", "Compare two moments"),
        (lambda letter: reverse("measures:import"), "measures:list", "Import measures"),
        (lambda letter: reverse("measures:create"), "measures:list", "New measure"),
    ],
)
def test_other_sub_pages_lead_back(client, alice, letter, path, first, current):
    client.force_login(alice)
    links, here = trail(client.get(path(letter)))
    assert links[0][0] == reverse(first)
    assert here == current
