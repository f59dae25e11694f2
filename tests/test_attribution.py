"""Every write path leaves a history record with the right user and origin."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from measures.attribution import SYSTEM_USERNAME, acting_as
from measures.models import (
    Commitment,
    CommitmentStatus,
    Measure,
    MeasureStatus,
    ProgressLetter,
    ProgressUpdate,
    UpdateState,
)
from tests.factories import make_measure


def latest(obj):
    return obj.history.order_by("-history_date", "-history_id").first()


def test_creating_a_measure_records_who_did_it(measure, alice):
    with acting_as(alice, "test"):
        created = make_measure(like=measure, owner=measure.owner, title="Nieuwe maatregel")
    record = latest(created)
    assert record.history_type == "+"
    assert record.history_user == alice
    assert record.history_origin == "test"


def test_editing_a_measure_records_the_old_and_new_value(measure, alice):
    with acting_as(alice, "test"):
        measure.title = "Handboek kindersekstoerisme (herzien)"
        measure.save()
    new, old = measure.history.order_by("-history_date", "-history_id")[:2]
    delta = new.diff_against(old)
    assert [f for f in delta.changed_fields if f != "version"] == ["title"]
    assert new.history_user == alice


def test_deleting_a_measure_keeps_its_history(measure, alice):
    pk = measure.pk
    with acting_as(alice, "test"):
        measure.delete()
    record = Measure.history.filter(id=pk).order_by("-history_date").first()
    assert record.history_type == "-"
    assert record.history_user == alice


def test_adding_a_partner_records_a_new_version_with_the_partner(measure, alice, prosecution):
    before = measure.history.count()
    with acting_as(alice, "test"):
        measure.partners.add(prosecution)
    assert measure.history.count() == before + 1
    record = latest(measure)
    assert record.history_user == alice
    assert [p.organisation_id for p in record.partners.all()] == [prosecution.pk]


def test_removing_a_partner_records_a_version_without_it(measure, alice, prosecution):
    with acting_as(alice, "test"):
        measure.partners.add(prosecution)
        measure.partners.remove(prosecution)
    assert latest(measure).partners.count() == 0


def test_log_progress_records_the_update_and_the_status_change_by_the_author(measure, bob):
    update = measure.log_progress(
        by=bob,
        text="Handboek opgeleverd.",
        status=MeasureStatus.COMPLETED,
        date=datetime.date(2015, 5, 1),
    )
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.COMPLETED
    assert measure.completed_date == datetime.date(2015, 5, 1)
    assert update.state == UpdateState.DRAFT  # a contributor's update waits for approval
    assert update.author_organisation == bob.profile.organisation
    assert latest(update).history_user == bob
    assert latest(measure).history_user == bob
    assert latest(measure).status == MeasureStatus.COMPLETED


def test_log_progress_without_a_status_leaves_the_measure_alone(measure, alice):
    versions = measure.history.count()
    update = measure.log_progress(by=alice, text="Overleg gevoerd.")
    assert update.state == UpdateState.APPROVED  # a coordinator's update is approved at once
    assert measure.history.count() == versions


def test_approving_an_update_records_the_approver(measure, bob, alice):
    update = measure.log_progress(by=bob, text="Concept.")
    update.approve(by=alice)
    update.refresh_from_db()
    assert update.approved_by == alice
    assert latest(update).history_user == alice
    assert latest(update).history_change_reason == "approved"


def test_approving_twice_is_refused(measure, alice):
    update = measure.log_progress(by=alice, text="Goedgekeurd.")
    with pytest.raises(ValidationError):
        update.approve(by=alice)


def test_fulfilling_a_commitment_records_the_letter_and_the_user(alice):
    letter = ProgressLetter.objects.create(date=datetime.date(2015, 6, 1), title="Voortgangsbrief")
    commitment = Commitment.objects.create(
        title="Duur vrijheidsstraffen",
        text="…",
        made_on=datetime.date(2014, 3, 20),
        due_date=datetime.date(2014, 9, 4),
    )
    commitment.fulfil(by=alice, letter=letter)
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.FULFILLED
    assert commitment.fulfilled_on == letter.date
    assert commitment.is_late
    assert latest(commitment).history_user == alice


def test_marking_a_letter_sent_records_who_sent_it(alice):
    letter = ProgressLetter.objects.create(date=datetime.date(2015, 6, 1), title="Voortgangsbrief")
    letter.mark_sent(by=alice)
    assert latest(letter).history_user == alice
    assert ProgressLetter.objects.last_sent() == letter


def test_a_change_outside_any_request_or_command_is_attributed_to_the_system(measure):
    measure.title = "Gewijzigd in de shell"
    measure.save()
    record = latest(measure)
    assert record.history_user.username == SYSTEM_USERNAME
    assert record.history_origin == "shell"


def test_a_command_without_user_is_attributed_to_the_system_account(settings, db):
    settings.DEBUG = True
    call_command("create_demo_users")
    from measures.models import Profile

    record = latest(Profile.objects.get(user__username="contributor"))
    assert record.history_user.username == SYSTEM_USERNAME
    assert record.history_origin == "command create_demo_users"


def test_a_command_with_an_unknown_user_writes_nothing(settings, db):
    from django.contrib.auth import get_user_model
    from django.core.management.base import CommandError

    settings.DEBUG = True
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("create_demo_users", user="nobody")
    assert not get_user_model().objects.filter(username="coordinator").exists()


def test_the_demo_user_command_attributes_its_writes_to_the_user_given(settings, alice):
    settings.DEBUG = True
    call_command("create_demo_users", user="alice")
    from measures.models import Profile

    profile = Profile.objects.get(user__username="contributor")
    record = latest(profile)
    assert record.history_user == alice
    assert record.history_origin == "command create_demo_users"


def test_a_web_request_records_the_user_and_address(client, alice, measure):
    client.force_login(alice)
    response = client.post(
        f"/admin/measures/measure/{measure.pk}/change/",
        {
            "plan": measure.plan_id,
            "action_line": measure.action_line_id,
            "theme": measure.theme_id,
            "title": "Via de admin gewijzigd",
            "owner": measure.owner_id,
            "joined_on": measure.joined_on.isoformat(),
            "status": MeasureStatus.DELAYED,
            "status_since": measure.status_since.isoformat(),
            "visibility": "public",
            "version": measure.version,
            "updates-TOTAL_FORMS": "0",
            "updates-INITIAL_FORMS": "0",
            "updates-MIN_NUM_FORMS": "0",
            "updates-MAX_NUM_FORMS": "1000",
        },
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    record = latest(measure)
    assert record.title == "Via de admin gewijzigd"
    assert record.history_user == alice
    assert record.history_origin == "web 10.1.2.3"


def test_no_progress_update_is_written_without_history(measure, alice):
    measure.log_progress(by=alice, text="Een")
    measure.log_progress(by=alice, text="Twee")
    assert ProgressUpdate.history.filter(measure_id=measure.pk).count() == 2
