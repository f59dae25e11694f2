"""A contributor's "For you to do" on the dashboard, and the next measure after logging progress."""

import datetime

import pytest
from django.urls import reverse

from measures.models import Commitment, CommitmentKind, CommitmentStatus, MeasureStatus
from tests.factories import make_measure

pytestmark = pytest.mark.usefixtures("english")  # the English source strings (conftest)

URL = reverse("measures:dashboard")


@pytest.fixture
def police_measures(measure, sent_letter, police, prosecution, alice, today):
    """The police's measure without progress, a second one with progress since the letter, a
    closed one, and one of the prosecution."""
    with_progress = make_measure(like=measure, owner=police, title="Met voortgang")
    with_progress.log_progress(by=alice, date=today, text="Gedaan")
    make_measure(like=measure, owner=police, title="Afgerond", status=MeasureStatus.COMPLETED)
    make_measure(like=measure, owner=prosecution, title="Van het OM")
    return measure, with_progress


def test_a_contributor_sees_the_measures_of_their_organisation_waiting_for_progress(
    client, bob, police_measures
):
    waiting, _with_progress = police_measures
    client.force_login(bob)
    response = client.get(URL)
    to_do = response.context["to_do"]
    assert [measure.title for measure in to_do["measures"]] == [waiting.title]
    assert to_do["measures_count"] == 1
    page = response.content.decode()
    assert page.index('id="to-do"') < page.index('id="status-heading"')  # at the top
    log_url = reverse("measures:log_progress", args=[waiting.pk])
    assert f'<a href="{log_url}" class="fw-semibold">Log progress</a>' in page


def test_a_contributor_sees_their_draft_and_their_sent_back_update_with_its_comment(
    client, alice, bob, carol, measure, sent_letter, today
):
    draft = measure.log_progress(by=bob, date=today, text="Eerste opzet")
    returned = measure.log_progress(by=bob, date=today, text="Tweede opzet")
    returned.send_back(by=alice, comment="Noem de gemeenten.")
    measure.log_progress(by=alice, date=today, text="Goedgekeurd")  # approved: not to do
    client.force_login(bob)
    response = client.get(URL)
    assert list(response.context["to_do"]["updates"]) == [returned, draft]
    page = response.content.decode()
    assert "Sent back by the coordinator" in page
    assert "Noem de gemeenten." in page
    assert f'href="{reverse("measures:detail", args=[measure.pk])}"' in page
    # Carol, of another organisation, has none of Bob's updates to do.
    client.force_login(carol)
    assert list(client.get(URL).context["to_do"]["updates"]) == []


def test_a_contributor_sees_the_commitments_on_their_measures_falling_due(
    client, bob, prosecution, police_measures, today
):
    waiting, _with_progress = police_measures
    other = make_measure(like=waiting, owner=prosecution, title="Van het OM 2")

    def commitment(title, due, *measures, **extra):
        made = Commitment.objects.create(
            kind=CommitmentKind.COMMITMENT, title=title, text=title, due_date=due, **extra
        )
        made.measures.set(measures)
        return made

    due = commitment("Rapportage pilot", today + datetime.timedelta(days=10), waiting)
    late = commitment("Evaluatie", today - datetime.timedelta(days=3), waiting, other)
    commitment("Ver weg", today + datetime.timedelta(days=200), waiting)
    commitment("Van het OM", today, other)
    commitment(
        "Al beantwoord",
        today,
        waiting,
        status=CommitmentStatus.FULFILLED,
        fulfilled_on=today,
    )
    client.force_login(bob)
    response = client.get(URL)
    assert list(response.context["to_do"]["commitments"]) == [late, due]
    page = response.content.decode()
    assert f'href="{reverse("measures:commitment_detail", args=[late.pk])}"' in page
    assert "overdue since" in page
    assert f'href="{URL}measures/?owner={waiting.owner_id}" id="my-measures"' in page


@pytest.mark.parametrize("user", ["alice", "vera"])
def test_a_coordinator_or_viewer_gets_no_to_do_section(client, user, request, police_measures):
    client.force_login(request.getfixturevalue(user))
    response = client.get(URL)
    assert response.context["to_do"] is None
    assert 'id="to-do"' not in response.content.decode()
    assert "For you to do" not in response.content.decode()


def test_after_logging_progress_a_contributor_is_offered_the_next_measure_without_progress(
    client, bob, police_measures, measure, police, today
):
    following = make_measure(like=measure, owner=police, title="Zonder voortgang, de volgende")
    client.force_login(bob)
    response = client.post(
        reverse("measures:log_progress", args=[measure.pk]),
        {"date": today.isoformat(), "text": "Voortgang", "version": measure.version},
        follow=True,
    )
    page = response.content.decode()
    assert "The progress has been recorded as a draft" in page
    next_url = reverse("measures:log_progress", args=[following.pk])
    assert f'<a href="{next_url}" id="next-to-do">Next measure without progress: ' in page


def test_with_no_other_measure_waiting_no_next_measure_is_offered(
    client, alice, bob, police_measures, measure, today
):
    client.force_login(bob)
    response = client.post(
        reverse("measures:log_progress", args=[measure.pk]),
        {"date": today.isoformat(), "text": "Voortgang", "version": measure.version},
        follow=True,
    )
    assert "The progress has been recorded" in response.content.decode()
    assert "Next measure without progress" not in response.content.decode()
    # Nor to a coordinator, who has no organisation's to-do, even with one waiting in hers.
    make_measure(like=measure, owner=alice.profile.organisation, title="Van het ministerie")
    client.force_login(alice)
    response = client.post(
        reverse("measures:log_progress", args=[police_measures[1].pk]),
        {
            "date": (today - datetime.timedelta(days=1)).isoformat(),
            "text": "Meer",
            "version": police_measures[1].version,
        },
        follow=True,
    )
    assert "Next measure without progress" not in response.content.decode()
