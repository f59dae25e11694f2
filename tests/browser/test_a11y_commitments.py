"""axe-core (WCAG 2.1 A/AA) on the commitments register and an indicator page, in Debian's
Chromium driven by Playwright. The fixtures live in this file so that it merges easily with the
shared browser conftest."""

import os

import pytest
from django.conf import settings

from tests.commitment_data import (
    interventions,
    kst_plan_commitment,
    letter_2015,
    letter_september_2016,
    open_commitment,
    sentences_commitment,
    value,
)

from .conftest import AXE

pytestmark = pytest.mark.browser

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def chromium(browser):
    """Debian's Chromium, launched once by tests/browser/conftest.py, with axe-core at hand."""
    if not AXE.exists():
        message = f"axe-core is not installed at {AXE} (make install runs npm ci)."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return browser


@pytest.fixture
def page_as(chromium, live_server, client):
    """Return a function that opens a page for `user`, logged in through a session cookie."""
    contexts = []

    def open_page(user, path):
        client.force_login(user)
        context = chromium.new_context(locale="nl-NL", bypass_csp=True)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        contexts.append(context)
        page = context.new_page()
        response = page.goto(live_server.url + path)
        assert response.status == 200
        return page

    yield open_page
    for context in contexts:
        context.close()


def axe_violations(page):
    """Return axe-core's WCAG 2.1 A/AA violations on the whole page, one line per element."""
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG,
    )
    return [
        f"{violation['id']}: {violation['help']} at {node['target']}"
        for violation in results["violations"]
        for node in violation["nodes"]
    ]


@pytest.fixture
def register(alice):
    import datetime

    sentences_commitment().fulfil(by=alice, letter=letter_2015())
    kst_plan_commitment().fulfil(by=alice, letter=letter_september_2016())
    open_commitment("M-2015-01", datetime.date(2015, 12, 1), title="Motie Berndsen-Jansen")


def test_the_register_passes_axe(page_as, alice, register):
    page = page_as(alice, "/commitments/")
    assert page.locator(".overdue-badge").count() == 1
    violations = axe_violations(page)
    assert not violations, "\n".join(violations)


def test_a_commitment_with_its_answer_form_passes_axe(page_as, alice, register):
    from measures.models import Commitment

    page = page_as(alice, Commitment.objects.get(number="M-2015-01").get_absolute_url())
    assert page.locator("form textarea").count() == 1
    violations = axe_violations(page)
    assert not violations, "\n".join(violations)


def test_an_indicator_page_passes_axe(page_as, alice, kst):
    indicator = interventions(kst)
    reported = value(indicator, 2014, 500, 560, source_letter=letter_2015())
    reported.realised = 565  # changed after the letter: the page shows its warning
    reported.save()
    value(indicator, 2015, 600, 842)
    page = page_as(alice, indicator.get_absolute_url())
    assert page.locator("svg[role=img]").count() == 1
    assert page.locator(".changed-after-report").count() == 1
    violations = axe_violations(page)
    assert not violations, "\n".join(violations)


def test_the_value_form_with_its_errors_passes_axe(page_as, alice, kst):
    from django.urls import reverse

    indicator = interventions(kst)
    value(indicator, 2015, 600, 842)
    page = page_as(alice, reverse("measures:indicator_value_create", args=[indicator.pk]))
    page.fill("input[name=year]", "2015")
    page.fill("input[name=target]", "-3")
    with page.expect_navigation():  # wait_for_load_state() alone may see the page before
        page.click("main form button[type=submit]")
    assert page.locator(".invalid-feedback").count() == 2
    violations = axe_violations(page)
    assert not violations, "\n".join(violations)
