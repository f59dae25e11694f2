"""Letters as a flow in the browser: a draft letter's own page keeps a refused form's period and
number; sending a letter goes through a confirmation that asks the parliamentary paper."""

import datetime

import pytest

from measures.models import LetterStatus, ProgressLetter

from .conftest import axe_violations, log_in

pytestmark = pytest.mark.browser


def test_a_refused_draft_letter_form_keeps_its_period_and_number(page, live_server, programme):
    log_in(page, live_server, "alice", "/summaries/")
    page.goto(f"{live_server.url}/summaries/?from=2015-06-02&to=2016-03-21")
    before = ProgressLetter.objects.count()
    with page.expect_navigation():
        page.click("main a[href^='/letters/new/']")
    assert page.url.startswith(f"{live_server.url}/letters/new/?from=2015-06-02&to=2016-03-21")
    assert page.input_value("#id_period_start") == "2015-06-02"
    assert page.input_value("#id_period_end") == "2016-03-21"
    assert page.input_value("#id_title")  # the summary's title

    page.fill("#id_kamerstuk", "31 015, nr. 130")
    page.fill("#id_period_start", "2016-04-01")  # after the period's end: refused
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    assert page.url == f"{live_server.url}/letters/new/"
    summary = page.locator("main [data-error-summary]")
    assert summary.count() == 1
    assert page.evaluate("document.activeElement.dataset.errorSummary") == ""
    assert summary.locator("a[href='#id_period_end']").count() == 1
    assert axe_violations(page) == []
    assert page.locator("#id_period_end.is-invalid").count() == 1
    assert page.locator("main .invalid-feedback").first.is_visible()
    assert page.input_value("#id_kamerstuk") == "31 015, nr. 130"
    assert page.input_value("#id_period_start") == "2016-04-01"
    assert page.input_value("#id_period_end") == "2016-03-21"
    assert ProgressLetter.objects.count() == before

    page.fill("#id_period_start", "2015-06-02")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    letter = ProgressLetter.objects.latest("pk")
    assert page.url == f"{live_server.url}/letters/{letter.pk}/"
    assert (letter.period_start, letter.period_end) == (
        datetime.date(2015, 6, 2),
        datetime.date(2016, 3, 21),
    )
    assert letter.kamerstuk == "31 015, nr. 130" and letter.status == LetterStatus.DRAFT


def test_sending_a_letter_asks_its_parliamentary_paper_first(page, live_server, programme):
    letter = ProgressLetter.objects.create(
        date=datetime.date(2016, 3, 21),
        title="Voortgangsbrief maart 2016",
        period_start=datetime.date(2015, 6, 2),
        period_end=datetime.date(2016, 3, 21),
    )
    log_in(page, live_server, "alice", f"/letters/{letter.pk}/")
    with page.expect_navigation():
        page.click(f"main a[href='/letters/{letter.pk}/send/']")
    assert page.url == f"{live_server.url}/letters/{letter.pk}/send/"
    assert page.input_value("#id_kamerstuk") == ""
    assert page.input_value("#id_sent_on")  # today

    with page.expect_navigation():  # without the parliamentary paper: refused
        page.click("main form button[type=submit]")
    assert page.locator("#id_kamerstuk.is-invalid").count() == 1
    letter.refresh_from_db()
    assert letter.status == LetterStatus.DRAFT

    page.fill("#id_kamerstuk", "31 015, nr. 131")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url == f"{live_server.url}/letters/{letter.pk}/"
    letter.refresh_from_db()
    assert letter.is_sent and letter.kamerstuk == "31 015, nr. 131"
    assert letter.sent_by.username == "alice"
    assert page.locator(f"main a[href='/letters/{letter.pk}/send/']").count() == 0
