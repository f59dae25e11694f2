"""The summary's Print button works under the site's real Content-Security-Policy."""

import pytest

from .conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def strict_page(browser, live_server):
    """A page that keeps the CSP on (the shared fixture bypasses it for axe-core)."""
    context = browser.new_context(locale="nl-NL")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def test_the_print_button_prints_with_the_csp_on(strict_page, live_server, programme):
    page = strict_page
    blocked = []
    page.on("console", lambda message: blocked.append(message.text))
    log_in(page, live_server, "alice", "/summaries/?from=2000-01-01&to=2030-12-31")
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Afdrukken").click()
    assert page.evaluate("window.printed === true")
    assert not [text for text in blocked if "Content Security Policy" in text]
