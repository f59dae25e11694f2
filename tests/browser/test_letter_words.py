"""The coordinator's words in the browser: from a draft letter's page to its text, the
assessment written and saved, and the letter showing it in its place."""

import datetime

import pytest

from measures.models import LetterPassage, ProgressLetter

from .conftest import axe_violations, log_in

pytestmark = pytest.mark.browser


def test_a_coordinator_writes_the_assessment_and_reads_it_in_the_letter(
    page, live_server, programme
):
    letter = ProgressLetter.objects.create(
        date=datetime.date(2016, 3, 21),
        title="Voortgangsbrief maart 2016",
        period_start=datetime.date(2015, 6, 2),
        period_end=datetime.date(2016, 3, 21),
    )
    log_in(page, live_server, "alice", f"/letters/{letter.pk}/")
    with page.expect_navigation():
        page.click("#letter-text-link")
    assert page.url == f"{live_server.url}/letters/{letter.pk}/text/"
    assert axe_violations(page) == []

    page.fill(
        "#id_assessment", "Het doel is *niet* gehaald.\n\n- de inzet blijft\n- de teams groeien"
    )
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    assert page.url == f"{live_server.url}/letters/{letter.pk}/"
    assessment = page.locator("main .summary-draft section.letter-assessment")
    assert assessment.locator("h3").inner_text().endswith("Beoordeling")
    assert assessment.locator("em").inner_text() == "niet"
    assert assessment.locator("li").all_inner_texts() == ["de inzet blijft", "de teams groeien"]
    assert LetterPassage.objects.get().history.get().history_user.username == "alice"

    with page.expect_navigation():  # the page again shows what was written
        page.click("#letter-text-link")
    assert page.input_value("#id_assessment").startswith("Het doel is *niet* gehaald.")
