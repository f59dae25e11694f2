"""A contributor works through "For you to do" in the browser: from the dashboard they log
progress on three measures of their organisation, each in at most three clicks, without a
filter."""

import pytest
from django.urls import reverse

from measures.models import Measure, ProgressUpdate
from tests.factories import make_measure

from .conftest import axe_violations, log_in

pytestmark = pytest.mark.browser


def test_a_contributor_logs_progress_on_three_measures_from_the_dashboard(
    page, live_server, programme, bob, police
):
    like = Measure.objects.filter(owner=police).first()
    first = make_measure(like=like, owner=police, title="AA Voorlichting op luchthavens")
    second = make_measure(like=like, owner=police, title="AB Meldpunt voor reizigers")
    third = make_measure(like=like, owner=police, title="AC Training van grenswachters")
    log_in(page, live_server, "bob")
    assert page.locator("#to-do-heading").is_visible()
    assert axe_violations(page) == []

    # The first: its link in "For you to do" (click 1), the text, "Record progress" (click 2).
    log_first = reverse("measures:log_progress", args=[first.pk])
    with page.expect_navigation():
        page.click(f'#to-do-measures a[href="{log_first}"]')
    page.fill("#id_text", "De voorlichting op Schiphol is gestart.")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url == f"{live_server.url}{reverse('measures:detail', args=[first.pk])}"

    # The second: the success message offers the next measure without progress (click 1).
    next_link = page.locator("#next-to-do")
    assert second.title in next_link.inner_text()
    with page.expect_navigation():
        next_link.click()
    assert page.url == f"{live_server.url}{reverse('measures:log_progress', args=[second.pk])}"
    page.fill("#id_text", "Het meldpunt is open.")
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    # The third from the home page: the brand (click 1), its link (click 2), save (click 3).
    with page.expect_navigation():
        page.click("a.navbar-brand")
    log_third = reverse("measures:log_progress", args=[third.pk])
    with page.expect_navigation():
        page.click(f'#to-do-measures a[href="{log_third}"]')
    page.fill("#id_text", "De eerste training is gegeven.")
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    for measure, text in (
        (first, "De voorlichting op Schiphol is gestart."),
        (second, "Het meldpunt is open."),
        (third, "De eerste training is gegeven."),
    ):
        assert ProgressUpdate.objects.filter(measure=measure, author=bob, text=text).exists()
    page.goto(f"{live_server.url}/")
    # Both left the measures waiting for progress; the drafts wait for a coordinator.
    waiting = page.locator("#to-do-measures")
    for measure in (first, second, third):
        assert waiting.count() == 0 or measure.title not in waiting.inner_text()
        assert measure.title in page.inner_text("#to-do-updates")
