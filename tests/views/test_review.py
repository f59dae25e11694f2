import datetime

import pytest
from django.urls import reverse

from measures.models import ChangeReason, MeasureStatus, UpdateState, Visibility
from tests.factories import make_measure

pytestmark = pytest.mark.usefixtures("english")  # the English source strings (conftest)

URL = reverse("measures:review")
APPROVE_URL = reverse("measures:review_approve")


def send_back_url(update):
    return reverse("measures:review_send_back", args=[update.pk])


@pytest.fixture
def drafts(measure, bob, today):
    """Three drafts by Bob (police), the oldest last logged."""
    return [
        measure.log_progress(
            by=bob,
            date=today - datetime.timedelta(days=days),
            text=f"Concept van {days} dagen\nTweede regel",
            next_steps=f"Volgende stap {days}",
            status=MeasureStatus.DELAYED if days == 3 else None,
        )
        for days in (1, 2, 3)
    ]


def approve(client, updates, **extra):
    data = {"selected": [u.pk for u in updates], **extra}
    for update in updates:
        data.setdefault(f"version-{update.pk}", update.version)
    return client.post(APPROVE_URL, data, follow=True)


# --- The queue ----------------------------------------------------------------------------------


def test_it_lists_every_draft_with_its_full_text_oldest_first(client, alice, drafts, measure):
    client.force_login(alice)
    response = client.get(URL)
    assert response.status_code == 200
    assert [u.pk for u in response.context["drafts"]] == [u.pk for u in reversed(drafts)]
    page = response.content.decode()
    assert page.index("Concept van 3 dagen") < page.index("Concept van 1 dagen")
    assert "Tweede regel" in page and "Volgende stap 2" in page
    assert measure.get_absolute_url() in page
    assert "Bob (Politie)" in page  # the author and their organisation
    assert '<dd class="col-sm-9">Politie</dd>' in page  # the owner
    assert f'name="version-{drafts[0].pk}" value="{drafts[0].version}"' in page
    assert "Delayed" in page  # the status the oldest draft proposes


def test_it_leaves_out_approved_and_sent_back_updates(client, alice, drafts):
    drafts[0].approve(by=alice)
    drafts[1].send_back(by=alice, comment="Graag concreter")
    client.force_login(alice)
    response = client.get(URL)
    assert [u.pk for u in response.context["drafts"]] == [drafts[2].pk]


def test_it_shows_dutch_dates(client, alice, measure, bob):
    measure.log_progress(by=bob, date=datetime.date(2026, 6, 1), text="Juni")
    client.force_login(alice)
    client.cookies.load({"django_language": "nl"})
    response = client.get(URL, headers={"accept-language": "nl"})
    assert "1 juni 2026" in response.content.decode()


@pytest.mark.parametrize("who", ["bob", "carol", "vera"])
def test_it_refuses_anyone_but_a_coordinator(client, request, who, drafts):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.post(APPROVE_URL, {"selected": [drafts[0].pk]}).status_code == 403
    assert client.post(send_back_url(drafts[0]), {"review_comment": "x"}).status_code == 403
    drafts[0].refresh_from_db()
    assert drafts[0].state == UpdateState.DRAFT


def test_it_redirects_an_anonymous_visitor_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_changes_refuse_get(client, alice, drafts):
    client.force_login(alice)
    assert client.get(APPROVE_URL).status_code == 405


def test_a_get_of_a_send_back_shows_the_queue_with_its_form_open(client, alice, drafts):
    client.force_login(alice)
    response = client.get(send_back_url(drafts[1]))
    assert response.status_code == 200
    assert response.context["opened"] == drafts[1].pk
    page = response.content.decode()
    assert page.count("<details") == 3 and page.count('<details class="flex-grow-1" open>') == 1
    assert "There is a problem" not in page
    assert drafts[1].history.count() == 1  # nothing written


@pytest.fixture
def many_drafts(plan, prevention, kst, police, prosecution, bob, carol, today):
    """Return a function that adds `n` drafts on `n` measures of two organisations, some
    confidential."""

    def make(n):
        for i in range(n):
            measure = make_measure(
                plan=plan,
                action_line=prevention,
                theme=kst,
                code=f"{i + 1}",
                title=f"Maatregel {i + 1}",
                owner=police if i % 2 else prosecution,
                visibility=Visibility.CONFIDENTIAL if i % 4 == 0 else Visibility.PUBLIC,
            )
            measure.log_progress(
                by=bob if i % 2 else carol, date=today, text=f"Voortgang {i}", next_steps="Door"
            )

    return make


@pytest.mark.parametrize("size", [3, 30])
def test_its_query_count_does_not_grow_with_the_queue(
    client, alice, many_drafts, size, django_assert_num_queries
):
    many_drafts(size)
    client.force_login(alice)
    # session, user, groups, the drafts with their measure, owner, author and organisation
    with django_assert_num_queries(4):
        response = client.get(URL)
    assert len(response.context["drafts"]) == size


# --- Approving ----------------------------------------------------------------------------------


def test_a_coordinator_approves_several_drafts_at_once(client, alice, drafts):
    client.force_login(alice)
    response = approve(client, drafts)
    assert "3 updates approved for the letter." in response.content.decode()
    for draft in drafts:
        draft.refresh_from_db()
        assert draft.state == UpdateState.APPROVED
        assert draft.approved_by == alice
        record = draft.history.first()
        assert (record.history_user, record.history_change_reason) == (
            alice,
            ChangeReason.APPROVED,
        )
        assert draft.history.filter(history_change_reason=ChangeReason.APPROVED).count() == 1


def test_a_coordinator_approves_one_with_its_own_button(client, alice, drafts):
    client.force_login(alice)
    data = {"only": drafts[1].pk, "selected": [drafts[0].pk, drafts[2].pk]}
    data.update({f"version-{d.pk}": d.version for d in drafts})
    response = client.post(APPROVE_URL, data, follow=True)
    assert "1 update approved for the letter." in response.content.decode()
    states = [type(d).objects.get(pk=d.pk).state for d in drafts]
    assert states == [UpdateState.DRAFT, UpdateState.APPROVED, UpdateState.DRAFT]


def test_one_stale_draft_refuses_them_all_and_names_it(client, alice, bob, drafts):
    client.force_login(alice)
    versions = {f"version-{d.pk}": d.version for d in drafts}
    drafts[1].text = "Verbeterd door Bob"
    drafts[1].save_change(by=bob)
    counts = [d.history.count() for d in drafts]
    response = approve(client, drafts, **versions)
    page = response.content.decode()
    assert "No update was approved." in page
    assert str(drafts[1]) in page
    assert "Someone else saved this" in page
    for draft, count in zip(drafts, counts, strict=True):
        draft.refresh_from_db()
        assert draft.state == UpdateState.DRAFT
        assert draft.history.count() == count


def test_an_already_approved_draft_refuses_them_all(client, alice, drafts):
    drafts[0].approve(by=alice)
    client.force_login(alice)
    response = approve(client, drafts, **{f"version-{drafts[0].pk}": drafts[0].version})
    page = response.content.decode()
    assert "already been approved" in page and "No update was approved." in page
    for draft in drafts[1:]:
        draft.refresh_from_db()
        assert draft.state == UpdateState.DRAFT


def test_approving_nothing_selected_says_so(client, alice, drafts):
    client.force_login(alice)
    response = client.post(APPROVE_URL, {}, follow=True)
    assert "Select the updates to approve." in response.content.decode()


def test_an_unknown_update_refuses_them_all(client, alice, drafts):
    client.force_login(alice)
    response = approve(client, drafts, selected=[drafts[0].pk, 999999])
    page = response.content.decode()
    assert "no longer exists" in page and "No update was approved." in page
    drafts[0].refresh_from_db()
    assert drafts[0].state == UpdateState.DRAFT


# --- Sending back -------------------------------------------------------------------------------


def test_a_coordinator_sends_a_draft_back_with_a_comment(client, alice, drafts):
    client.force_login(alice)
    draft = drafts[0]
    response = client.post(
        send_back_url(draft),
        {"review_comment": "  Noem de gemeenten.  ", "version": draft.version},
        follow=True,
    )
    assert "has been sent back to its author" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == UpdateState.RETURNED
    assert draft.review_comment == "Noem de gemeenten."
    record = draft.history.first()
    assert (record.history_user, record.history_change_reason) == (alice, ChangeReason.RETURNED)
    assert record.review_comment == "Noem de gemeenten."


def test_sending_back_requires_a_comment(client, alice, drafts):
    client.force_login(alice)
    draft = drafts[0]
    count = draft.history.count()
    response = client.post(
        send_back_url(draft), {"review_comment": "   ", "version": draft.version}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Say what the author should change." in page
    assert f'aria-describedby="comment-{draft.pk}-error"' in page
    draft.refresh_from_db()
    assert draft.state == UpdateState.DRAFT
    assert draft.history.count() == count


def test_a_refused_send_back_has_an_error_summary_and_its_address_can_be_reloaded(
    client, alice, drafts
):
    client.force_login(alice)
    draft = drafts[0]
    refused = client.post(send_back_url(draft), {"review_comment": "", "version": draft.version})
    page = refused.content.decode()
    assert "<title>Error: Progress to review" in page
    assert "There is a problem" in page
    assert f'href="#comment-{draft.pk}">Say what the author should change.</a>' in page
    assert client.get(send_back_url(draft)).status_code == 200
    switched = client.post(
        reverse("set_language"), {"language": "nl", "next": send_back_url(draft)}, follow=True
    )
    assert switched.redirect_chain == [(send_back_url(draft), 302)]
    assert switched.status_code == 200
    assert '<html lang="nl">' in switched.content.decode()


def test_a_stale_send_back_writes_nothing(client, alice, bob, drafts):
    client.force_login(alice)
    draft = drafts[0]
    version = draft.version
    draft.text = "Verbeterd"
    draft.save_change(by=bob)
    response = client.post(
        send_back_url(draft), {"review_comment": "Graag korter", "version": version}, follow=True
    )
    assert "Someone else saved this" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == UpdateState.DRAFT and draft.review_comment == ""


def test_the_contributor_sees_the_comment_on_the_measure_page(client, alice, bob, drafts, measure):
    drafts[0].send_back(by=alice, comment="Noem de gemeenten.")
    client.force_login(bob)
    page = client.get(measure.get_absolute_url()).content.decode()
    assert "Sent back by the coordinator" in page
    assert "Noem de gemeenten." in page
    assert "Sent back</span>" in page


# --- Where the queue is linked from --------------------------------------------------------------


def test_the_dashboard_links_a_coordinator_to_the_queue(client, alice, bob, drafts):
    client.force_login(alice)
    page = client.get(reverse("measures:dashboard")).content.decode()
    assert f'href="{URL}" id="step-review-link">Review queue (3)' in page
    client.force_login(bob)
    assert "step-review-link" not in client.get(reverse("measures:dashboard")).content.decode()
