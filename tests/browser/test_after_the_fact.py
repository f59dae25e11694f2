"""Issue 14's case in a real browser on the seed letters: facts entered after the fact.

A coordinator adds a measure that joined the programme on 1 February 2016; a police contributor
logs its progress dated 1 May 2016 with status "lopend"; the coordinator approves it. The summary
of 1 January – 31 August 2016 lists the measure as new under its action line with that progress;
the letter sent on 6 September 2016 does not, its page lists what was recorded since, and the next
draft offers it under "Aanvullingen en correcties op eerdere brieven"."""

import io
import re

import pytest
from django.core.management import call_command

from measures.models import Measure, Plan, ProgressLetter

from .conftest import log_in

pytestmark = pytest.mark.browser

TITLE = "Achteraf ingevoerde voorlichting op luchthavens"
PROGRESS = "De voorlichting op Schiphol is op 1 mei 2016 begonnen."


@pytest.fixture
def seeded(transactional_db, alice, bob):
    call_command("seed", stdout=io.StringIO())


def submit(page, selector="main form button[type=submit]"):
    with page.expect_navigation():
        page.click(selector)


def test_facts_entered_after_the_fact_count_in_their_period_and_come_back_as_corrections(
    page, live_server, seeded, alice, bob, screenshot_dir
):
    plan = Plan.objects.get(title__contains="2016–2018")
    line = plan.action_lines.get(name="Preventie")

    # The coordinator adds the measure, with the day it joined the programme.
    log_in(page, live_server, "alice", "/measures/new/")
    page.fill("#id_title", TITLE)
    page.select_option("#id_plan", str(plan.pk))
    page.select_option("#id_action_line", str(line.pk))
    page.select_option("#id_theme", label="Kindersekstoerisme")
    page.select_option("#id_owner", label="Nationale Politie (Politie)")
    page.fill("#id_joined_on", "2016-02-01")
    submit(page)
    measure = Measure.objects.get(title=TITLE)
    assert page.url.endswith(f"/measures/{measure.pk}/")
    assert "1 februari 2016" in page.inner_text("main")

    # The police contributor logs progress dated 1 May 2016 with status "lopend": a draft.
    page.context.clear_cookies()
    log_in(page, live_server, "bob", f"/measures/{measure.pk}/progress/")
    page.fill("#id_date", "2016-05-01")
    page.select_option("#id_status", "in_progress")
    page.fill("#id_text", PROGRESS)
    submit(page)
    assert "concept" in page.inner_text("main").lower()

    # The coordinator approves it on the measure page.
    page.context.clear_cookies()
    log_in(page, live_server, "alice", f"/measures/{measure.pk}/")
    submit(page, "form[action*='/approve/'] button[type=submit]")

    # The summary of 1 January – 31 August 2016 has it, new, under its action line.
    page.goto(f"{live_server.url}/summaries/?from=2016-01-01&to=2016-08-31")
    draft = page.locator(".summary-letter")
    text = draft.inner_text()
    assert TITLE in text and PROGRESS in text
    headings = re.findall(r"^\d+\.\d+ .*$", text[: text.index(TITLE)], re.MULTILINE)
    assert headings[-1].split(" ", 1)[1].startswith("Preventie")
    assert "nieuw, lopend" in text[text.index(TITLE) :][:300].lower()
    page.screenshot(path=str(screenshot_dir / "after-the-fact-summary.png"), full_page=False)

    # The letter sent on 6 September 2016 does not; its page lists what was recorded since.
    letter = ProgressLetter.objects.get(date="2016-09-06")
    page.goto(f"{live_server.url}/letters/{letter.pk}/")
    assert TITLE not in page.locator(".summary-letter").inner_text()
    corrections = page.locator("#corrections").inner_text()
    assert TITLE in corrections and PROGRESS in corrections

    # The next draft offers them as corrections.
    page.goto(f"{live_server.url}/summaries/?from=2016-09-07&to=2016-12-31")
    assert "6 september 2016" in page.locator("#corrections-offer").inner_text()
    with page.expect_navigation():
        page.click("#corrections-offer a.btn")
    assert "corrections=on" in page.url
    text = page.locator(".summary-letter").inner_text()
    offered = text[text.index("Aanvullingen en correcties op eerdere brieven") :]
    assert "6 september 2016" in offered
    assert TITLE in offered and PROGRESS in offered
    page.screenshot(path=str(screenshot_dir / "after-the-fact-corrections.png"), full_page=True)
