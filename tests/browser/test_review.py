"""The review queue in the browser: a coordinator goes from the dashboard to the queue, selects
three drafts and approves them at once; one sends back a draft without a comment first."""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from measures.models import ChangeReason, ProgressUpdate, UpdateState

from .conftest import axe_violations, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def three_drafts(programme, carol):
    """The programme's two drafts by Bob (police) and one by Carol (OM)."""
    programme[2].log_progress(
        by=carol,
        date=timezone.localdate() - datetime.timedelta(days=2),
        text="Het OM heeft de doorlooptijd met een maand verkort.",
        next_steps="Evaluatie na de zomer.",
    )
    drafts = list(ProgressUpdate.objects.filter(state=UpdateState.DRAFT).order_by("date"))
    assert len(drafts) == 3
    return drafts


def test_a_coordinator_approves_three_drafts_from_the_queue_at_once(
    page, live_server, three_drafts
):
    log_in(page, live_server, "alice")
    link = page.locator("#step-review-link")
    with translation.override("nl"):  # the page's language, as the lead's catalogue has it
        to_review = gettext("Review queue") + " (3)"
        approved = ngettext(
            "%(n)d update approved for the letter.", "%(n)d updates approved for the letter.", 3
        ) % {"n": 3}
    assert link.inner_text() == to_review
    with page.expect_navigation():
        link.click()
    assert page.url == f"{live_server.url}/review/"
    assert page.locator("#review-list > li").count() == 3
    assert "Het OM heeft de doorlooptijd met een maand verkort." in page.inner_text("main")
    assert axe_violations(page) == []

    # Sending one back without a comment: the queue comes back with the error at that draft.
    first = three_drafts[0]
    page.click(f"#update-{first.pk} summary")
    with page.expect_navigation():
        page.click(f"#update-{first.pk} details button[type=submit]")
    error = page.locator(f"#comment-{first.pk}-error")
    assert error.is_visible() and error.inner_text()
    assert axe_violations(page) == []

    for draft in three_drafts:
        page.check(f"#select-{draft.pk}")
    with page.expect_navigation():
        page.click("#approve-selected")
    assert page.url == f"{live_server.url}/review/"
    assert approved in page.inner_text("body")
    assert page.locator("#review-empty").is_visible()
    for draft in three_drafts:
        draft.refresh_from_db()
        assert draft.state == UpdateState.APPROVED
        record = draft.history.first()
        assert record.history_user.username == "alice"
        assert record.history_change_reason == ChangeReason.APPROVED
