"""The leaks of confidential items the security review found, each performed as an attack.

Every item is read through the one access rule (`models.readable_measures`/`readable_updates`):
a record by its own visibility and owner and by the measure as it is now. Bob (police) and Vera
(viewer) may not read the prosecution service's (OM) confidential measures; Carol (OM) and Alice
(coordinator) may.
"""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from measures.models import Commitment, Measure, MeasureStatus, Visibility
from tests.factories import EARLY

from .test_measure_edit import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def make(plan, prevention, kst, alice):
    def make(title, owner, visibility=Visibility.PUBLIC, *, code="", parent=None, when=None):
        measure = Measure(
            joined_on=EARLY,
            plan=plan,
            action_line=prevention,
            theme=kst,
            code=code,
            title=title,
            owner=owner,
            visibility=visibility,
            parent=parent,
            status=MeasureStatus.IN_PROGRESS,
        )
        measure._history_user = alice
        if when is not None:
            measure._history_date = when
        measure.save()
        return measure

    return make


def edit(measure, by, when=None, **changes):
    """Save `changes` to `measure` as `by`, with one history record (dated `when`)."""
    for name, value in changes.items():
        setattr(measure, name, value)
    measure._history_user = by
    measure._history_date = when or timezone.now()
    measure.save()
    return measure


def text_of(response):
    """Return what a response shows: HTML or CSV as text, an .xlsx workbook's cells."""
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        workbook = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    return response.content.decode()


@pytest.fixture
def secret_parent(make, prosecution):
    return make("ZZPARENT geheim", prosecution, Visibility.CONFIDENTIAL, code="ZZC1")


@pytest.fixture
def child(make, police, secret_parent):
    return make("Publiek onderdeel", police, parent=secret_parent)


# --- A public measure whose parent is confidential ----------------------------------------------


@pytest.mark.parametrize("user", ["vera", "bob"])
@pytest.mark.parametrize("page", ["detail", "detail_as_of", "history", "history_as_of"], ids=str)
def test_a_public_child_does_not_show_its_confidential_parent(client, request, child, user, page):
    client.force_login(request.getfixturevalue(user))
    today = timezone.localdate().isoformat()
    name = "history" if page.startswith("history") else "detail"
    url = reverse(f"measures:{name}", args=[child.pk])
    response = client.get(f"{url}?as_of={today}" if page.endswith("as_of") else url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Publiek onderdeel" in html
    assert "ZZPARENT" not in html
    assert "ZZC1" not in html


@pytest.mark.parametrize("as_of", [False, True])
def test_the_owning_organisation_does_see_the_parent(client, carol, child, as_of):
    client.force_login(carol)
    url = reverse("measures:detail", args=[child.pk])
    response = client.get(f"{url}?as_of={timezone.localdate()}" if as_of else url)
    assert "ZZC1 ZZPARENT geheim" in response.content.decode()


def test_a_stale_edit_message_does_not_name_a_confidential_parent(
    client, make, police, secret_parent, alice, bob
):
    measure = make("Politiemaatregel", police)
    data = form_data(measure, title="Bobs titel")
    edit(measure, alice, parent=secret_parent)  # meanwhile
    client.force_login(bob)
    response = client.post(reverse("measures:edit", args=[measure.pk]), data)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "onderdeel van" in errors  # the change is reported …
    assert "ZZPARENT" not in errors and "ZZC1" not in errors  # … without the parent's name
    measure.refresh_from_db()
    assert measure.title == "Politiemaatregel"


def test_the_parent_choices_of_a_contributor_leave_out_what_they_may_not_read(
    client, make, police, secret_parent, bob
):
    measure = make("Politiemaatregel", police)
    client.force_login(bob)
    html = client.get(reverse("measures:edit", args=[measure.pk])).content.decode()
    assert 'name="parent"' in html
    assert "ZZPARENT" not in html


def test_a_contributor_saving_a_measure_keeps_a_parent_they_may_not_read(client, child, bob):
    client.force_login(bob)
    html = client.get(reverse("measures:edit", args=[child.pk])).content.decode()
    assert "ZZPARENT" not in html
    response = client.post(
        reverse("measures:edit", args=[child.pk]), form_data(child, title="Nieuwe titel")
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.title == "Nieuwe titel"
    assert child.parent_id is not None


# --- Deleted while confidential -----------------------------------------------------------------


@pytest.mark.parametrize("user", ["vera", "bob"])
def test_the_dashboard_does_not_name_a_deleted_confidential_measure(
    client, request, make, prosecution, alice, user
):
    measure = make("ZZDELETED vertrouwelijk", prosecution, Visibility.CONFIDENTIAL)
    measure._history_user = alice
    measure.delete()
    client.force_login(request.getfixturevalue(user))
    assert "ZZDELETED" not in client.get(reverse("measures:dashboard")).content.decode()


# --- Confidential then, public now --------------------------------------------------------------


@pytest.fixture
def made_public(make, prosecution, alice):
    measure = make(
        "ZZOLDSECRET",
        prosecution,
        Visibility.CONFIDENTIAL,
        when=timezone.now() - datetime.timedelta(days=10),
    )
    return edit(measure, alice, title="ZZNOWPUBLIC", visibility=Visibility.PUBLIC)


@pytest.mark.parametrize("user", ["vera", "bob"])
@pytest.mark.parametrize("where", ["history", "changes", "csv", "xlsx", "dashboard"])
def test_earlier_confidential_versions_stay_hidden_once_a_measure_is_public(
    client, request, made_public, user, where
):
    client.force_login(request.getfixturevalue(user))
    url = {
        "history": reverse("measures:history", args=[made_public.pk]),
        "changes": reverse("measures:changes"),
        "csv": reverse("measures:changes") + "?format=csv",
        "xlsx": reverse("measures:changes") + "?format=xlsx",
        "dashboard": reverse("measures:dashboard"),
    }[where]
    text = text_of(client.get(url))
    assert "ZZNOWPUBLIC" in text
    assert "ZZOLDSECRET" not in text


def test_the_history_page_as_of_then_does_not_show_the_confidential_version(
    client, made_public, vera
):
    client.force_login(vera)
    day = (timezone.localdate() - datetime.timedelta(days=5)).isoformat()
    response = client.get(reverse("measures:history", args=[made_public.pk]) + f"?as_of={day}")
    assert response.context["version"] is None
    assert "ZZOLDSECRET" not in response.content.decode()


def test_the_coordinator_still_sees_every_version(client, made_public, alice):
    client.force_login(alice)
    html = client.get(reverse("measures:history", args=[made_public.pk])).content.decode()
    assert "ZZOLDSECRET" in html


# --- Public then, confidential now --------------------------------------------------------------


@pytest.fixture
def made_confidential(make, prosecution, alice):
    measure = make("ZZWASPUBLIC", prosecution, when=days_ago(10))
    return edit(measure, alice, title="ZZNOWCONF", visibility=Visibility.CONFIDENTIAL)


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


@pytest.mark.parametrize("user", ["vera", "bob"])
def test_the_as_of_list_and_compare_leave_out_a_measure_confidential_now(
    client, request, made_confidential, user
):
    client.force_login(request.getfixturevalue(user))
    then = (timezone.localdate() - datetime.timedelta(days=5)).isoformat()
    before = (timezone.localdate() - datetime.timedelta(days=20)).isoformat()
    today = timezone.localdate().isoformat()
    compare = reverse("measures:compare")
    for url in (
        reverse("measures:list") + f"?as_of={then}",
        reverse("measures:dashboard") + f"?as_of={then}",
        f"{compare}?from={then}&to={today}",
        f"{compare}?from={before}&to={then}",
    ):
        assert "ZZWASPUBLIC" not in client.get(url).content.decode(), url


# --- Names in the change feed's descriptions ----------------------------------------------------


def test_the_feed_does_not_name_a_confidential_measure_in_a_commitments_measures(
    client, secret_parent, alice, vera
):
    commitment = Commitment.objects.create(number="1", title="Toezegging", text="Iets")
    commitment._history_user = alice
    commitment.measures.add(secret_parent)
    client.force_login(vera)
    for url in (reverse("measures:changes"), reverse("measures:changes") + "?format=csv"):
        text = text_of(client.get(url))
        assert "ZZPARENT" not in text and "ZZC1" not in text


def test_the_feed_does_not_name_a_measure_hidden_now_in_its_progress(
    client, make, prosecution, alice, carol, vera
):
    measure = make("ZZPROGRESSOF", prosecution)
    measure.log_progress(by=carol, text="Openbare voortgang")
    edit(measure, alice, visibility=Visibility.CONFIDENTIAL)
    client.force_login(vera)
    text = text_of(client.get(reverse("measures:changes")))
    assert "ZZPROGRESSOF" not in text
    assert "Openbare voortgang" not in text
