"""Forms in the browser: nothing typed is lost when the session ends, the warning before it does,
and the error summary of the measure form (focused, linking to the fields, "Error:" in the
title, no axe violations)."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from measures.models import (
    ActionLine,
    Commitment,
    Measure,
    MeasureStatus,
    Organisation,
    OrganisationKind,
    Plan,
    ProgressUpdate,
    UpdateState,
)

from .conftest import axe_violations, log_in

pytestmark = pytest.mark.browser


def in_english(page, live_server):
    """Read the pages in English, the source strings, whatever the Dutch catalogue says."""
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])


TEXT = "De eerste twintig rechercheurs zijn aan het werk; de rest volgt na de zomer."


def test_progress_typed_when_the_session_ends_is_back_after_logging_in(
    page, live_server, programme, police
):
    measure = Measure.objects.filter(owner=police).order_by("pk").first()
    form_path = reverse("measures:log_progress", args=[measure.pk])
    log_in(page, live_server, "bob", form_path)
    assert page.url == f"{live_server.url}{form_path}"
    page.fill("#id_text", TEXT)
    page.fill("#id_next_steps", "Werving van de laatste tien.")
    before = ProgressUpdate.objects.count()

    Session.objects.all().delete()  # the session ends while the text is being typed
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url.startswith(f"{live_server.url}{reverse('login')}?next=")
    assert page.locator("#login-reason").is_visible()
    assert ProgressUpdate.objects.count() == before

    page.fill("#id_username", "bob")
    page.fill("#id_password", "pw-bob")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url == f"{live_server.url}{form_path}"
    assert page.input_value("#id_text") == TEXT
    assert page.input_value("#id_next_steps") == "Werving van de laatste tien."
    assert page.locator("#keep-input-restored").is_visible()
    assert axe_violations(page) == []

    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url == f"{live_server.url}{measure.get_absolute_url()}"
    assert ProgressUpdate.objects.filter(measure=measure, text=TEXT).count() == 1

    # Saved: the next time the form is opened it is empty, and says nothing was put back.
    page.goto(f"{live_server.url}{form_path}")
    assert page.input_value("#id_text") == ""
    assert page.locator("#keep-input-restored").is_hidden()


def test_a_warning_before_the_idle_limit_keeps_the_session_alive(
    page, live_server, programme, settings
):
    settings.SESSION_COOKIE_AGE = 8  # the warning comes after 4 seconds
    in_english(page, live_server)
    log_in(page, live_server, "alice", "/measures/")
    dialog = page.locator("#session-warning")
    assert dialog.is_hidden()
    dialog.wait_for(state="visible", timeout=8_000)
    assert page.evaluate("document.activeElement.id") == "session-warning"
    assert dialog.get_attribute("role") == "alertdialog"
    assert axe_violations(page) == []
    with page.expect_response(lambda r: r.url.endswith("/accounts/keep-alive/")) as answer:
        page.click("#session-warning [data-session-stay]")
    assert answer.value.status == 204
    dialog.wait_for(state="hidden")
    page.wait_for_timeout(5_000)  # past the first limit: the session was renewed
    page.goto(f"{live_server.url}/measures/")
    assert page.url == f"{live_server.url}/measures/"


def test_the_measure_form_shows_an_error_summary_that_leads_to_the_fields(
    page, live_server, programme
):
    in_english(page, live_server)
    log_in(page, live_server, "alice", reverse("measures:create"))
    assert page.input_value("#id_status") == MeasureStatus.NOT_STARTED
    assert page.locator("#id_plan option").first.inner_text() == "Choose …"
    assert page.locator("main legend", has_text="Who and where").count() == 1
    assert page.locator("input[type=checkbox][name=partners]").count() > 0

    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.title().startswith("Error: ")
    summary = page.locator("[data-error-summary]")
    assert summary.locator("h2").inner_text() == "There is a problem"
    assert page.evaluate("document.activeElement.dataset.errorSummary") == ""
    assert summary.locator("a[href='#id_title']").inner_text() == "Enter the title of the measure."
    summary.locator("a[href='#id_plan']").click()
    assert page.evaluate("document.activeElement.id") == "id_plan"
    summary.locator("a[href='#id_title']").click()
    assert page.evaluate("document.activeElement.id") == "id_title"
    assert axe_violations(page) == []
    assert Measure.objects.filter(title="").count() == 0


def test_the_measure_form_offers_the_action_lines_of_the_chosen_plan(page, live_server, programme):
    for n in range(10):
        Organisation.objects.create(name=f"Gemeente {n}", kind=OrganisationKind.PUBLIC)
    log_in(page, live_server, "alice", reverse("measures:create"))
    plan = Plan.objects.get(short_title="Plan KST")
    page.select_option("#id_plan", str(plan.pk))
    offered = page.eval_on_selector_all(
        "#id_action_line option", "options => options.map(o => o.value).filter(Boolean)"
    )
    assert sorted(offered) == sorted(str(line.pk) for line in plan.action_lines.all())
    assert ActionLine.objects.exclude(plan=plan).exists()

    # A long list of checkboxes has a filter: typing hides the others.
    page.fill("#filter-partners", "Politie")
    visible = page.locator("input[name=partners]:visible")
    assert 0 < visible.count() < page.locator("input[name=partners]").count()


def test_refused_answers_stay_on_pages_that_can_be_opened_again(page, live_server, programme):
    in_english(page, live_server)
    commitment = Commitment.objects.get(number="T-12")
    log_in(page, live_server, "alice", commitment.get_absolute_url())
    fulfil = reverse("measures:commitment_fulfil", args=[commitment.pk])
    page.select_option("#id_letter", "")
    with page.expect_navigation():
        page.click(f"main form[action='{fulfil}'] button[type=submit]")
    assert page.url == f"{live_server.url}{fulfil}"
    assert page.title().startswith("Error: ")
    assert page.evaluate("document.activeElement.dataset.errorSummary") == ""
    assert axe_violations(page) == []
    response = page.goto(page.url)  # opened again (GET): the form, not a 405
    assert response.status == 200
    assert page.locator(f"main form[action='{fulfil}']").count() == 1
    with page.expect_navigation():
        page.click("form.language-form button[name=language]")  # to Dutch
    assert page.url == f"{live_server.url}{fulfil}"
    assert page.get_attribute("html", "lang") == "nl"

    in_english(page, live_server)
    draft = ProgressUpdate.objects.filter(state=UpdateState.DRAFT).order_by("pk").first()
    page.goto(f"{live_server.url}{reverse('measures:review')}")
    page.click(f"#update-{draft.pk} details summary")
    send_back = reverse("measures:review_send_back", args=[draft.pk])
    with page.expect_navigation():
        page.click(f"form[action='{send_back}'] button[type=submit]")  # without a comment
    assert page.title().startswith("Error: ")
    page.click(f"[data-error-summary] a[href='#comment-{draft.pk}']")
    assert page.evaluate("document.activeElement.id") == f"comment-{draft.pk}"
    assert axe_violations(page) == []
    response = page.goto(page.url)
    assert response.status == 200
    assert page.locator(f"#update-{draft.pk} details[open]").count() == 1


def test_logging_out_on_purpose_leaves_no_typed_text_behind(page, live_server, programme, police):
    measure = Measure.objects.filter(owner=police).order_by("pk").first()
    form_path = reverse("measures:log_progress", args=[measure.pk])
    log_in(page, live_server, "bob", form_path)
    page.fill("#id_text", TEXT)
    page.click("#account-menu button")  # the account's menu holds "Log out"
    with page.expect_navigation():
        page.click("header form[action='/accounts/logout/'] button")
    assert page.evaluate("window.sessionStorage.length") == 0
    log_in(page, live_server, "bob", form_path)
    assert page.input_value("#id_text") == ""
