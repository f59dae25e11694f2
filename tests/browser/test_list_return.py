"""The way back to a list keeps its filters: the breadcrumb of a measure opened from a filtered
list returns to that list as it was left."""

import pytest

from measures.models import Measure

from .conftest import log_in

pytestmark = pytest.mark.browser


def test_the_breadcrumb_returns_to_the_filtered_list(page, live_server, programme, police):
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/measures/?owner={police.pk}&ordering=title")
    first = page.locator("#measure-table tbody a").first
    href = first.get_attribute("href")
    with page.expect_navigation():
        first.click()
    assert Measure.objects.get(pk=href.strip("/").split("/")[-1]).owner == police
    with page.expect_navigation():
        page.locator(".breadcrumb a").first.click()
    assert page.url == f"{live_server.url}/measures/?owner={police.pk}&ordering=title"
    # From a page opened directly, the breadcrumb opens the list as last left in this tab; in a
    # new tab (no list seen yet) it opens the plain list.
    other = page.context.new_page()
    other.goto(
        f"{live_server.url}{Measure.objects.filter(owner=police).first().get_absolute_url()}"
    )
    assert other.locator(".breadcrumb a").first.get_attribute("href") == "/measures/"
    other.close()
