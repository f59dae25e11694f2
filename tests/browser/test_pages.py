"""People using the tracker in a real browser: log in, find measures, log progress, switch
language; and axe-core finds no WCAG 2.1 A/AA violation on the main pages."""

import pytest

from measures.models import MeasureStatus, ProgressUpdate

from .conftest import axe_violations, log_in

pytestmark = pytest.mark.browser


def test_a_coordinator_logs_in_through_the_form_and_sees_the_dashboard(
    page, live_server, programme
):
    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url
    log_in(page, live_server, "alice")
    assert page.url == live_server.url + "/"
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("#status-table").is_visible()
    # Bootstrap is served by the live server: the navbar is laid out as a flex container.
    bootstrap = page.request.get(live_server.url + "/static/vendor/bootstrap/css/bootstrap.min.css")
    assert bootstrap.ok, "Bootstrap is not served: run npm ci"
    assert page.eval_on_selector("nav.navbar", "el => getComputedStyle(el).display") == "flex"


def test_a_wrong_password_shows_an_error_and_stays_on_the_login_page(page, live_server, alice):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "wrong")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/accounts/login/" in page.url
    page.locator("[role=alert]").wait_for(state="visible")  # the answer, with its error


def test_the_list_filters_and_searches_through_the_url(page, live_server, programme):
    log_in(page, live_server, "vera", "/measures/")
    rows = page.locator("#measure-table tbody tr")
    # Vera (viewer, no organisation) does not see the confidential measure.
    assert rows.count() == 5
    page.fill("#id_q", "beeldherkenning")
    with page.expect_navigation():  # the rows counted are the new page's, never the old one's
        page.click(".filter-form button[type=submit]")
    assert "q=beeldherkenning" in page.url
    assert rows.count() == 1
    assert "Beeldherkenning" in rows.first.inner_text()
    page.goto(live_server.url + "/measures/?overdue=true")
    titles = page.locator("#measure-table tbody tr td:first-child").all_inner_texts()
    assert sorted(titles) == sorted(
        [
            "1 Uitbreiding van het Team Bestrijding Kinderpornografie",
            "5 Verbindingsofficieren in Zuidoost-Azië",
        ]
    )
    page.select_option("#id_status", MeasureStatus.NOT_STARTED)
    with page.expect_navigation():
        page.click(".filter-form button[type=submit]")
    assert rows.count() == 1


def test_a_contributor_logs_progress_on_a_measure_of_its_organisation(page, live_server, programme):
    measure = programme[4]
    log_in(page, live_server, "bob", measure.get_absolute_url())
    page.click("#measure-actions a[href$='/progress/']")
    page.fill("#id_text", "De eerste verbindingsofficier is in Bangkok gestart.")
    page.select_option("#id_status", MeasureStatus.IN_PROGRESS)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url == live_server.url + measure.get_absolute_url()
    assert page.locator("[role=status]").first.is_visible()
    assert "Bangkok" in page.locator("#timeline").inner_text()
    update = ProgressUpdate.objects.get(measure=measure)
    assert update.author.username == "bob"
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.IN_PROGRESS


def test_the_language_switch_shows_the_pages_in_english(page, live_server, programme):
    log_in(page, live_server, "alice")
    assert page.locator("html").get_attribute("lang") == "nl"
    with page.expect_navigation():
        page.click("button[name=language][value=en]")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Measures by status").is_visible()
    page.goto(live_server.url + programme[0].get_absolute_url())
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Log progress").is_visible()
    assert page.get_by_role("link", name="Edit measure").is_visible()


def test_an_english_browser_gets_english_pages(browser, live_server, alice):
    context = browser.new_context(locale="en-GB", extra_http_headers={"Accept-Language": "en"})
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "en"
    context.close()


@pytest.mark.parametrize(
    "path",
    ["/", "/measures/", "measure", "edit", "progress", "/measures/new/"],
)
def test_axe_finds_no_wcag_violations(page, live_server, programme, path):
    log_in(page, live_server, "alice")
    measure = programme[0]
    path = {
        "measure": measure.get_absolute_url(),
        "edit": f"/measures/{measure.pk}/edit/",
        "progress": f"/measures/{measure.pk}/progress/",
    }.get(path, path)
    page.goto(live_server.url + path)
    assert axe_violations(page) == []


def test_axe_finds_no_wcag_violations_on_the_login_page_with_an_error(page, live_server, alice):
    page.goto(live_server.url + "/accounts/login/")
    assert axe_violations(page) == []
    page.fill("#id_username", "alice")
    with page.expect_navigation():  # axe reads the answer, never the page before it
        page.click("main form button[type=submit]")
    assert axe_violations(page) == []


def test_axe_finds_no_wcag_violations_on_a_form_with_errors(page, live_server, programme):
    log_in(page, live_server, "alice", f"/measures/{programme[0].pk}/edit/")
    page.fill("#id_title", "")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("#id_title").get_attribute("aria-invalid") == "true"
    assert axe_violations(page) == []


def test_screenshots_of_the_dashboard_and_a_measure_page(
    page, live_server, programme, screenshot_dir
):
    log_in(page, live_server, "alice")
    if screenshot_dir is None:
        pytest.skip("No writable screenshot directory.")
    page.screenshot(path=str(screenshot_dir / "ui-dashboard.png"), full_page=True)
    page.goto(live_server.url + programme[0].get_absolute_url())
    page.screenshot(path=str(screenshot_dir / "ui-measure.png"), full_page=True)
    page.goto(live_server.url + "/measures/")
    page.screenshot(path=str(screenshot_dir / "ui-list.png"), full_page=True)
    assert (screenshot_dir / "ui-measure.png").stat().st_size > 10_000
