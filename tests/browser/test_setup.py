"""Setting up new work in the browser, without the Django admin: a coordinator creates a plan
with three action lines and an indicator with three breakdowns, enters a year's grid of figures
(first with a number typed the English way), then sees them on the indicator page and in the
summary. Every new page is checked with axe (errors shown included) and for reflow at 320 px."""

from decimal import Decimal

import pytest

from measures.models import ActionLine, Indicator, IndicatorValue, Plan, ValueStatus

from .conftest import axe_violations, log_in

pytestmark = pytest.mark.browser

YEAR = 2025


def fits_320(page):
    """Return True if the page as shown reflows into a 320 px wide viewport."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(size)
    return width <= 320


def check(page):
    """The page passes axe and reflows at 320 px."""
    assert axe_violations(page) == []
    assert fits_320(page), page.url


def test_a_coordinator_sets_up_a_plan_and_an_indicator_and_enters_a_years_figures(
    page, live_server, programme, kst
):
    log_in(page, live_server, "alice", "/measures/")

    # The plans, from the measure list.
    with page.expect_navigation():
        page.click(".plans-link a[href='/plans/']")
    check(page)
    with page.expect_navigation():
        page.click("main a[href='/plans/new/']")
    # Sent without a title: the error state keeps the action lines typed.
    page.fill("#id_lines-0-name", "Preventie")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("[data-error-summary]").is_visible()
    assert page.input_value("#id_lines-0-name") == "Preventie"
    check(page)
    page.fill("#id_title", "Plan van aanpak kindersekstoerisme 2016-2018")
    page.fill("#id_short_title", "PvA KST 2016")
    page.check(f"input[name=themes][value='{kst.pk}']")
    page.fill("#id_lines-1-name", "Opsporing en vervolging")
    page.fill("#id_lines-2-name", "Internationale samenwerking")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    plan = Plan.objects.get(short_title="PvA KST 2016")
    assert page.url.endswith(f"/plans/#plan-{plan.pk}")
    assert [line.name for line in ActionLine.objects.filter(plan=plan)] == [
        "Preventie",
        "Opsporing en vervolging",
        "Internationale samenwerking",
    ]
    assert "Internationale samenwerking" in page.inner_text(f"#plan-{plan.pk}")

    # The indicator with three breakdowns, from the indicator list.
    page.goto(f"{live_server.url}/indicators/")
    assert axe_violations(page) == []  # not a new page: its reflow is part 6's
    with page.expect_navigation():
        page.click("main a.btn[href='/indicators/new/']")
    page.fill("#id_name", "Meldingen bij het Meldpunt")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("[data-error-summary]").is_visible()
    check(page)
    page.select_option("#id_theme", str(kst.pk))
    page.fill("#id_default_source", "Jaarverslag Meldpunt")
    for i, name in enumerate(["Nederland", "Europa", "Elders"]):
        page.fill(f"#id_breakdowns-{i}-name", name)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    indicator = Indicator.objects.get(name="Meldingen bij het Meldpunt")
    assert page.url == f"{live_server.url}/indicators/{indicator.pk}/"
    assert indicator.breakdown_names() == ["Nederland", "Europa", "Elders"]

    # The year's grid: the year picked, the source prefilled.
    with page.expect_navigation():
        page.click(f"main a[href='/indicators/{indicator.pk}/figures/']")
    page.select_option("select[name=year]", str(YEAR))
    with page.expect_navigation():
        page.click(".year-form button")
    assert page.input_value("#id_source") == "Jaarverslag Meldpunt"
    check(page)
    nl, eu, other = (f"b{b.pk}" for b in indicator.breakdowns.all())
    typed = {
        "q0-t-target": "6.000",
        "q0-t-realised": "6.412",
        f"q0-{nl}-realised": "4.100",
        f"q0-{eu}-realised": "1.900,5",
        f"q0-{other}-realised": "411.5",  # the English way: refused
        "q1-t-realised": "1.500",
    }
    for name, text in typed.items():
        page.fill(f"#id_{name}", text)
    page.fill("#id_q0-t-note", "Inclusief meldingen via de app")
    page.select_option("#id_q1-t-status", ValueStatus.PROVISIONAL)
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")
    assert page.locator("[data-error-summary]").is_visible()
    assert page.locator(f"#id_q0-{other}-realised.is-invalid").is_visible()
    assert page.input_value("#id_q0-t-realised") == "6.412"  # nothing typed is lost
    assert not IndicatorValue.objects.filter(indicator=indicator).exists()
    check(page)
    page.fill(f"#id_q0-{other}-realised", "411,5")
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")
    assert page.url == f"{live_server.url}/indicators/{indicator.pk}/"
    values = {
        (v.quarter, v.breakdown): v for v in IndicatorValue.objects.filter(indicator=indicator)
    }
    assert len(values) == 5
    assert values[(0, "")].realised == Decimal(6412)
    assert values[(0, "Europa")].realised == Decimal("1900.5")
    assert values[(1, "")].status == ValueStatus.PROVISIONAL
    assert {v.source for v in values.values()} == {"Jaarverslag Meldpunt"}
    assert {v.history.get().history_user.username for v in values.values()} == {"alice"}

    # The indicator page shows them, with the note.
    table = page.inner_text("table.indicator-values")
    assert "6.412" in table and "1.900,5" in table and "Inclusief meldingen via de app" in table
    assert axe_violations(page) == []

    # And so does the summary of a period covering the year.
    page.goto(f"{live_server.url}/summaries/?from={YEAR}-01-01&to={YEAR}-12-31")
    letter = page.inner_text("article.summary-letter")
    assert "Meldingen bij het Meldpunt" in letter
    assert "6.000" in letter and "6.412" in letter
    assert "Toelichting 2025: Inclusief meldingen via de app" in letter


def test_the_set_up_pages_pass_axe_and_reflow(page, live_server, programme):
    log_in(page, live_server, "alice", "/setup/")
    check(page)
    for path in ("/setup/themes/new/", "/setup/organisations/new/"):
        page.goto(f"{live_server.url}{path}")
        check(page)
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert page.locator("[data-error-summary]").is_visible()
        assert axe_violations(page) == []
