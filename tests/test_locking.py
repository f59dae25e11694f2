"""No lost updates: Measure.save_change, the form mixin, the admin, and concurrent writers."""

import threading

import pytest
from django import forms
from django.db import connections

from measures.attribution import acting_as
from measures.forms.measures import VersionedFormMixin
from measures.history.changes import changes_since, stale_lines
from measures.locking import StaleEdit
from measures.models import Measure, MeasureStatus


class MeasureTitleForm(VersionedFormMixin, forms.ModelForm):
    user = None  # who reads the stale-edit lines: the system, everything

    class Meta:
        model = Measure
        fields = ["title", "status", "partners"]


@pytest.mark.django_db
def test_every_save_raises_the_version(measure, alice):
    assert measure.version == 1
    measure.set_status(MeasureStatus.DELAYED, by=alice)
    measure.refresh_from_db()
    assert measure.version == 2


@pytest.mark.django_db
def test_a_stale_edit_is_refused_and_the_first_is_kept(measure, alice, bob):
    first = Measure.objects.get(pk=measure.pk)
    second = Measure.objects.get(pk=measure.pk)
    first.title = "Handboek (herzien)"
    first.save_change(by=alice, reason="titel", expected_version=1)
    second.status = MeasureStatus.STOPPED
    with pytest.raises(StaleEdit) as refused:
        second.save_change(by=bob, expected_version=1)
    measure.refresh_from_db()
    assert measure.title == "Handboek (herzien)"
    assert measure.status == MeasureStatus.IN_PROGRESS
    assert measure.version == 2
    (change,) = changes_since(refused.value.instance, 1, user=bob)
    assert change.user_name == "Alice"
    assert [(f.label, f.old_text, f.new_text) for f in change.fields] == [
        ("titel", "Handboek kindersekstoerisme", "Handboek (herzien)")
    ]
    assert stale_lines(refused.value, bob)[0].startswith("titel: Handboek kindersekstoerisme → ")


@pytest.mark.django_db
def test_a_checked_save_writes_history_with_user_and_reason(measure, bob):
    measure.status = MeasureStatus.DELAYED
    with acting_as(bob, "command import_updates"):
        measure.save_change(by=bob, reason="vertraagd", expected_version=1)
    record = measure.history.first()
    assert (
        record.history_user,
        record.history_change_reason,
        record.version,
        record.history_origin,
    ) == (bob, "vertraagd", 2, "command import_updates")
    assert record.status == MeasureStatus.DELAYED


@pytest.mark.django_db
def test_the_form_refuses_a_stale_version_and_lists_what_changed(measure, alice, bob):
    opened = MeasureTitleForm(instance=measure)
    assert opened["version"].value() == 1
    measure.set_status(MeasureStatus.DELAYED, by=alice, reason="politie meldt vertraging")
    stale = MeasureTitleForm(
        {"title": "Nieuwe titel", "status": "in_progress", "version": 1}, instance=measure
    )
    assert not stale.is_valid()
    errors = " ".join(stale.non_field_errors())
    assert "Iemand anders heeft deze maatregel opgeslagen" in errors
    assert "status: Lopend → Vertraagd (door Alice" in errors
    assert Measure.objects.get(pk=measure.pk).title == "Handboek kindersekstoerisme"


@pytest.mark.django_db
def test_the_form_saves_a_current_version_with_partners(measure, bob, prosecution):
    form = MeasureTitleForm(
        {"title": "Nieuw", "status": "delayed", "version": 1, "partners": [prosecution.pk]},
        instance=measure,
    )
    assert form.is_valid(), form.errors
    assert form.save_change(by=bob, reason="via formulier") == measure
    measure.refresh_from_db()
    assert (measure.title, measure.status, list(measure.partners.all())) == (
        "Nieuw",
        "delayed",
        [prosecution],
    )
    records = list(measure.history.all()[:2])
    assert {r.history_user for r in records} == {bob}
    assert {r.history_change_reason for r in records} == {"via formulier"}


@pytest.mark.django_db
def test_the_form_catches_a_save_that_slipped_in_after_validation(measure, alice, bob):
    form = MeasureTitleForm({"title": "Nieuw", "status": "delayed", "version": 1}, instance=measure)
    assert form.is_valid()
    Measure.objects.get(pk=measure.pk).set_status(MeasureStatus.STOPPED, by=alice)
    assert form.save_change(by=bob) is None
    assert "Iemand anders heeft deze maatregel opgeslagen" in " ".join(form.non_field_errors())
    assert Measure.objects.get(pk=measure.pk).status == MeasureStatus.STOPPED


@pytest.mark.django_db
def test_a_missing_or_bad_version_is_refused(measure, bob):
    with pytest.raises(StaleEdit):
        measure.save_change(by=bob, expected_version="abc")
    form = MeasureTitleForm({"title": "Nieuw", "status": "delayed"}, instance=measure)
    assert not form.is_valid()
    assert "version" in form.errors


def writers_finish(measure_pk, users, attempts_per_user=5):
    """Let every user try to save the measure with the version it read; return the accepted edits
    and the number refused."""
    accepted = []
    refused = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(users))

    def write(user):
        try:
            barrier.wait()
            for attempt in range(attempts_per_user):
                current = Measure.objects.get(pk=measure_pk)
                current.title = f"{user.username} {attempt}"
                try:
                    current.save_change(
                        by=user, reason=current.title, expected_version=current.version
                    )
                except StaleEdit:
                    refused.append(user.pk)
                    continue
                with lock:
                    accepted.append((current.version, current.title, user.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return accepted, len(refused)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_lose_no_accepted_change(measure, alice, bob, carol, vera):
    accepted, refused = writers_finish(measure.pk, [alice, bob, carol, vera])
    print(f"{len(accepted)} edits accepted, {refused} refused as stale")
    assert len(accepted) + refused == 20
    versions = sorted(version for version, _, _ in accepted)
    assert versions == list(range(2, 2 + len(accepted)))  # no version accepted twice
    measure.refresh_from_db()
    assert measure.version == 1 + len(accepted)
    last = max(accepted)
    assert measure.title == last[1]
    history = {(r.version, r.title, r.history_user_id) for r in measure.history.exclude(version=1)}
    assert history == set(accepted)


def admin_post_data(measure, **changes):
    data = {
        "plan": measure.plan_id,
        "action_line": measure.action_line_id or "",
        "theme": measure.theme_id,
        "title": measure.title,
        "owner": measure.owner_id,
        "joined_on": measure.joined_on.isoformat(),
        "status": measure.status,
        "status_since": measure.status_since.isoformat(),
        "visibility": measure.visibility,
        "version": measure.version,
        "updates-TOTAL_FORMS": "0",
        "updates-INITIAL_FORMS": "0",
        "updates-MIN_NUM_FORMS": "0",
        "updates-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_the_admin_saves_a_current_version_with_user_and_origin(admin_client, admin_user, measure):
    from django.urls import reverse

    url = reverse("admin:measures_measure_change", args=[measure.pk])
    assert 'name="version"' in admin_client.get(url).content.decode()
    response = admin_client.post(
        url, admin_post_data(measure, title="Via de admin"), REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    measure.refresh_from_db()
    assert (measure.title, measure.version) == ("Via de admin", 2)
    record = measure.history.first()
    assert (record.history_user, record.history_origin, record.title) == (
        admin_user,
        "web 10.1.2.3",
        "Via de admin",
    )


@pytest.mark.django_db
def test_the_admin_refuses_a_stale_version(admin_client, measure, bob):
    from django.urls import reverse

    stale = admin_post_data(measure, title="Oude stand")
    measure.set_status(MeasureStatus.DELAYED, by=bob, reason="intussen")
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    response = admin_client.post(url, stale)
    assert response.status_code == 200
    assert "Iemand anders heeft deze maatregel opgeslagen" in response.content.decode()
    measure.refresh_from_db()
    assert (measure.title, measure.status) == ("Handboek kindersekstoerisme", "delayed")


@pytest.mark.django_db
def test_the_admin_history_revert_starts_from_the_current_version(
    admin_client, admin_user, measure, bob
):
    from django.urls import reverse

    first = measure.history.first()
    measure.set_status(MeasureStatus.DELAYED, by=bob)
    url = reverse("admin:measures_measure_simple_history", args=[measure.pk, first.history_id])
    form = admin_client.get(url).context["adminform"].form
    assert form.initial["version"] == 2
    old = Measure.objects.get(pk=measure.pk)
    old.status = first.status
    old.version = 2
    response = admin_client.post(url, admin_post_data(old))
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.status, measure.version) == (MeasureStatus.IN_PROGRESS, 3)
    assert measure.history.first().history_user == admin_user
