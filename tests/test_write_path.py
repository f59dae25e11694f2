"""One write path: every way a tracked object is changed goes through `save_change`, so each
writes one history record with its user and reason, raises the version by one, keeps the status
dates in step and refuses an edit (or a second transition) over someone else's save."""

import threading

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from measures.history.changes import reason_in_words
from measures.locking import StaleEdit
from measures.models import (
    ChangeReason,
    Commitment,
    CommitmentStatus,
    IndicatorValue,
    Measure,
    MeasureStatus,
    ProgressLetter,
    ProgressUpdate,
    UpdateState,
)

from .commitment_data import interventions, kst_plan_commitment, value
from .conftest import make_user
from .test_locking import admin_post_data

pytestmark = pytest.mark.usefixtures("english")  # the English source strings (conftest)


def newest(obj):
    return obj.history.order_by("-history_date", "-history_id").first()


# --- Each caller -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_set_status_writes_one_record_with_reason_and_keeps_the_completion_date(measure, alice):
    before = measure.history.count()
    measure.set_status(MeasureStatus.COMPLETED, by=alice, reason=ChangeReason.BULK)
    measure.refresh_from_db()
    assert measure.completed_date == timezone.localdate()
    assert (measure.version, measure.history.count()) == (2, before + 1)
    record = newest(measure)
    assert (record.history_user, record.history_change_reason) == (alice, "bulk")


@pytest.mark.django_db
def test_set_status_on_a_measure_read_before_someone_saved_it_is_refused(measure, alice, bob):
    read_earlier = Measure.objects.get(pk=measure.pk)
    measure.change_owner(measure.owner, by=bob)  # a save meanwhile
    with pytest.raises(StaleEdit):
        read_earlier.set_status(MeasureStatus.STOPPED, by=alice)
    measure.refresh_from_db()
    assert (measure.status, measure.version) == (MeasureStatus.IN_PROGRESS, 2)


@pytest.mark.django_db
def test_the_bulk_owner_change_goes_through_change_owner(client, alice, measure, prosecution):
    client.force_login(alice)
    client.post(
        reverse("measures:bulk_change"),
        {"measures": [measure.pk], "action": "owner", "owner": prosecution.pk},
    )
    measure.refresh_from_db()
    assert (measure.owner, measure.version) == (prosecution, 2)
    record = newest(measure)
    assert (record.history_user, record.history_change_reason) == (alice, "bulk")


@pytest.mark.django_db
def test_the_admin_keeps_the_completion_date_in_step(admin_client, admin_user, measure):
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    response = admin_client.post(url, admin_post_data(measure, status=MeasureStatus.COMPLETED))
    assert response.status_code == 302, response.content.decode()[:2000]
    measure.refresh_from_db()
    assert measure.completed_date == measure.status_since
    assert (measure.version, newest(measure).history_user) == (2, admin_user)


@pytest.mark.django_db
def test_the_admin_saves_a_commitment_with_the_version_check(admin_client, admin_user):
    commitment = kst_plan_commitment()
    url = reverse("admin:measures_commitment_change", args=[commitment.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in {"measures", "made_in_letter", "source_letter"}
    }
    data.update({"title": "Nieuwe titel", "links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0"})
    for name in ("made_on", "due_date", "fulfilled_on"):
        if data.get(name):
            data[name] = data[name].isoformat()
    commitment.save_change(by=admin_user, reason="meanwhile", expected_version=1)
    response = admin_client.post(url, data)
    assert response.status_code == 200  # the version opened is gone: refused
    assert Commitment.objects.get(pk=commitment.pk).title != "Nieuwe titel"
    data["version"] = 2
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    commitment.refresh_from_db()
    assert (commitment.title, commitment.version) == ("Nieuwe titel", 3)


@pytest.mark.django_db
def test_revert_is_a_change_with_the_reason_typed(measure, alice):
    first = measure.history.first()
    measure.set_status(MeasureStatus.COMPLETED, by=alice)
    measure.revert_to(first, by=alice, reason="per ongeluk")
    measure.refresh_from_db()
    assert (measure.status, measure.completed_date, measure.version) == (
        MeasureStatus.IN_PROGRESS,
        None,
        3,
    )
    assert newest(measure).history_change_reason == "per ongeluk"


@pytest.mark.django_db
def test_a_new_measure_is_saved_through_save_change(plan, kst, police, alice):
    measure = Measure(plan=plan, theme=kst, owner=police, title="Nieuw", status="completed")
    measure.save_change(by=alice, reason="nieuw")
    assert (measure.version, measure.completed_date) == (1, measure.status_since)
    assert (newest(measure).history_user, newest(measure).history_type) == (alice, "+")


@pytest.mark.django_db
def test_bad_input_writes_nothing(measure, alice):
    measure.start_date = measure.joined_on.replace(year=2010)
    measure.due_date = measure.joined_on.replace(year=2005)
    before = measure.history.count()
    with pytest.raises(ValidationError) as refused:
        measure.save_change(by=alice, expected_version=1)
    assert "due_date" in refused.value.message_dict
    assert (measure.history.count(), Measure.objects.get(pk=measure.pk).version) == (before, 1)


@pytest.mark.django_db
def test_transitions_record_their_reason_as_a_code_shown_in_words(measure, alice, bob):
    update = measure.log_progress(by=bob, text="Concept")
    update.approve(by=alice)
    commitment = kst_plan_commitment()
    commitment.fulfil(by=alice, on=timezone.localdate(), note="")
    letter = ProgressLetter.objects.create(date=timezone.localdate(), title="Brief")
    letter.mark_sent(by=alice)
    assert [newest(o).history_change_reason for o in (update, commitment, letter)] == [
        "approved",
        "answered",
        "sent",
    ]
    assert [o.version for o in (update, commitment, letter)] == [2, 2, 2]
    assert reason_in_words("approved") == "approved for the letter"
    assert reason_in_words("typed by a person") == "typed by a person"


@pytest.mark.django_db
def test_the_change_feed_shows_a_reason_in_words(client, measure, alice, bob):
    measure.log_progress(by=bob, text="Concept").approve(by=alice)
    client.force_login(alice)
    page = client.get(reverse("measures:changes")).content.decode()
    assert "approved for the letter" in page


@pytest.mark.django_db
def test_the_data_migration_turns_old_reasons_into_codes(measure, alice, bob):
    migration = __import__(
        "measures.migrations.0008_change_reasons_as_codes", fromlist=["to_codes"]
    )
    update = measure.log_progress(by=bob, text="Concept")
    update.approve(by=alice)
    measure.set_status(MeasureStatus.DELAYED, by=alice, reason="wacht op de politie")
    old = {
        newest(update).history_id: ("approved for the letter", "approved"),
        update.history.earliest().history_id: ("", ""),
    }
    for history_id, (reason, _) in old.items():
        update.history.filter(history_id=history_id).update(history_change_reason=reason)
    measure.history.filter(history_id=measure.history.earliest().history_id).update(
        history_change_reason="seed: aangemaakt (brief 20-03-2014)"
    )
    migration.to_codes(apps, None)
    for history_id, (_, code) in old.items():
        assert update.history.get(history_id=history_id).history_change_reason == code
    assert measure.history.earliest().history_change_reason == "seed-created"
    assert newest(measure).history_change_reason == "wacht op de politie"
    assert [migration.code_for(r) for r in ("answered: lapsed", "voortgang gemeld op 1-2")] == [
        "answered",
        "progress",
    ]


# --- Two people, one object --------------------------------------------------------------------


@pytest.fixture
def chris(roles, ministry):
    return make_user("chris", roles["coordinator"], ministry, first_name="Chris")


@pytest.mark.django_db
def test_two_stale_indicator_value_forms_the_second_is_refused_with_what_changed(
    client, alice, chris, kst
):
    figure = value(interventions(kst), 2015, 600, 842, source="Politie")
    url = reverse("measures:indicator_value_edit", args=[figure.pk])
    data = {
        "year": "2015",
        "quarter": "0",
        "breakdown": "",
        "target": "600",
        "realised": "842",
        "status": figure.status,
        "source": "Politie",
        "source_letter": "",
        "note": "",
    }
    client.force_login(chris)
    opened_by_chris = client.get(url).context["form"]["version"].value()
    client.force_login(alice)
    opened_by_alice = client.get(url).context["form"]["version"].value()
    response = client.post(
        url, {**data, "realised": "111", "note": "Alice", "version": opened_by_alice}
    )
    assert response.status_code == 302
    client.force_login(chris)
    response = client.post(url, {**data, "source": "Chris", "version": opened_by_chris})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this while you were editing it" in page
    assert "realised: 842.00 → 111.00 (by Alice" in page or "842 → 111 (by Alice" in page
    figure.refresh_from_db()
    assert (figure.realised, figure.note, figure.source, figure.version) == (
        111,
        "Alice",
        "Politie",
        2,
    )
    # Sent again as it stands (the form now carries the current version), it applies.
    assert response.context["form"]["version"].value() == 2
    response = client.post(url, {**data, "source": "Chris", "realised": "111", "version": 2})
    assert response.status_code == 302
    assert IndicatorValue.objects.get(pk=figure.pk).source == "Chris"


def at_once(users, act):
    """Run act(user) for every user at the same moment, each on its own connection; return the
    results (the exception raised, or None)."""
    results = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(users))

    def run(user):
        try:
            barrier.wait()
            try:
                act(user)
                outcome = None
            except Exception as error:
                outcome = error
            with lock:
                results.append(outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def coordinators(roles, ministry, n):
    return [make_user(f"coordinator{i}", roles["coordinator"], ministry) for i in range(n)]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_approvals_make_exactly_one_approval(measure, bob, roles, ministry):
    draft = measure.log_progress(by=bob, text="Concept")
    users = coordinators(roles, ministry, 8)
    results = at_once(users, lambda user: ProgressUpdate.objects.get(pk=draft.pk).approve(by=user))
    assert results.count(None) == 1
    # Refused: by the claim (StaleEdit), or, read after the approval, as already approved.
    assert all(isinstance(r, ValidationError) for r in results if r is not None)
    draft.refresh_from_db()
    assert draft.state == UpdateState.APPROVED
    assert draft.history.filter(history_change_reason=ChangeReason.APPROVED).count() == 1
    assert draft.version == 2


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_answers_to_a_commitment_record_exactly_one(roles, ministry):
    commitment = kst_plan_commitment()
    users = coordinators(roles, ministry, 8)
    statuses = [CommitmentStatus.FULFILLED, CommitmentStatus.LAPSED] * 4

    def answer(user):
        status = statuses[int(user.username.removeprefix("coordinator"))]
        Commitment.objects.get(pk=commitment.pk).fulfil(
            by=user, on=timezone.localdate(), status=status, note=user.username
        )

    results = at_once(users, answer)
    assert results.count(None) == 1
    assert all(isinstance(r, ValidationError) for r in results if r is not None)
    commitment.refresh_from_db()
    assert commitment.history.filter(history_change_reason=ChangeReason.ANSWERED).count() == 1
    record = newest(commitment)
    assert (record.fulfilment_note, record.history_user.username) == (
        commitment.fulfilment_note,
        commitment.fulfilment_note,
    )
