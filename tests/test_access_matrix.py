"""Every reader of the tracker against one matrix of users × items: no title, number or text a
user may not read appears anywhere.

The one access rule (`models.readable_measures`/`readable_updates`): a record is readable when
its own visibility and owner allow it and the measure as it is now allows it; a confidential
item is read by the coordinators and the owning organisation (an update also by its author's).
Bob contributes for the police, which owns the items; Carol for the OM (another organisation,
which owns the confidential parent and takes over the re-owned item); Vera reads; Alice
coordinates. Every item carries a marker in its number (code), title and progress text.

One exception, on purpose: a sent letter is what was published. A measure that was public when
the letter was sent stays in that letter, for everyone, after it is made confidential
(`MADE_CONFIDENTIAL_THEN`). Everything else, the as-of pages for that letter included, follows
the rule.
"""

import datetime
import io
import re
import zipfile

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from measures.access import ensure_roles
from measures.models import (
    ActionLine,
    Commitment,
    LetterStatus,
    Measure,
    MeasureStatus,
    Organisation,
    OrganisationKind,
    Plan,
    ProgressLetter,
    ProgressUpdate,
    Theme,
    UpdateState,
    Visibility,
)

from .conftest import make_user

EVERYONE = {"alice", "bob", "carol", "vera"}
POLICE = {"alice", "bob"}  # confidential and owned by the police
MADE_CONFIDENTIAL_THEN = "MXMCOLDQ"

# marker → the users who may read it (`Q` ends each, so none is part of another)
READERS = {
    "MXPUBQ": EVERYONE,
    "MXPUBTEXTQ": EVERYONE,
    "MXINTQ": EVERYONE,
    "MXINTTEXTQ": EVERYONE,
    "MXCONFQ": POLICE,
    "MXCONFTEXTQ": POLICE,
    "MXCONFUPDQ": POLICE,  # a confidential update (by the police) on the public measure
    "MXAUTHUPDQ": {"alice", "bob", "carol"},  # a confidential update by the OM, idem
    "MXDELQ": POLICE,  # confidential, deleted
    "MXREOWNOLDQ": {"alice"},  # confidential, police then: its own terms; OM now: present terms
    "MXREOWNNEWQ": {"alice", "carol"},
    "MXMPOLDQ": POLICE,  # confidential then, public now
    "MXMPNEWQ": EVERYONE,
    MADE_CONFIDENTIAL_THEN: POLICE,  # public then, confidential now
    "MXMCNEWQ": POLICE,
    "MXPARENTQ": {"alice", "carol"},  # confidential, of the OM
    "MXCHILDQ": EVERYONE,  # public, police, part of MXPARENTQ
}

TODAY = timezone.localdate()
THEN = TODAY - datetime.timedelta(days=7)  # the as-of day (valid and known)
BEFORE = TODAY - datetime.timedelta(days=20)


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def save(measure, by, when=None, **changes):
    for name, value in changes.items():
        setattr(measure, name, value)
    measure._history_user = by
    measure._history_date = when or timezone.now()
    measure.save()
    return measure


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker):
    """The users and items, written once for the module in a transaction rolled back after."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield build_matrix()
        transaction.set_rollback(True)


def build_matrix():
    coordinator, contributor, viewer = ensure_roles()
    ministry = Organisation.objects.create(name="Ministerie", kind=OrganisationKind.MINISTRY)
    police = Organisation.objects.create(name="Politie", kind=OrganisationKind.POLICE)
    om = Organisation.objects.create(name="OM", kind=OrganisationKind.PROSECUTION)
    users = {
        "alice": make_user("alice", coordinator, ministry, is_staff=True, email="a@x.nl"),
        "bob": make_user("bob", contributor, police, email="b@x.nl"),
        "carol": make_user("carol", contributor, om, email="c@x.nl"),
        "vera": make_user("vera", viewer, email="v@x.nl"),
    }
    alice = users["alice"]
    theme = Theme.objects.create(code="kst", name="Kindersekstoerisme", order=1)
    plan = Plan.objects.create(title="Plan van aanpak", owner=ministry)
    plan.themes.add(theme)
    line = ActionLine.objects.create(plan=plan, name="Preventie", order=1)
    recorded = days_ago(10)

    def make(marker, owner=police, visibility=Visibility.PUBLIC, parent=None, text=None):
        measure = Measure(
            joined_on=datetime.date(2000, 1, 1),
            plan=plan,
            action_line=line,
            theme=theme,
            code=f"{marker}C",
            title=f"{marker} titel",
            owner=owner,
            visibility=visibility,
            parent=parent,
            status=MeasureStatus.IN_PROGRESS,
        )
        save(measure, alice, recorded)
        measure.log_progress(
            by=alice,
            text=f"{text or marker} voortgang",
            date=TODAY - datetime.timedelta(days=12),
            organisation=police,
            history_date=recorded,
        )
        return measure

    # A progress text is read on the terms of its update and of its measure as it is now: the
    # items that change carry the marker of their present state in their progress.
    public = make("MXPUBQ", text="MXPUBTEXTQ")
    make("MXINTQ", visibility=Visibility.INTERNAL, text="MXINTTEXTQ")
    confidential = make("MXCONFQ", visibility=Visibility.CONFIDENTIAL, text="MXCONFTEXTQ")
    for marker, organisation in (("MXCONFUPDQ", police), ("MXAUTHUPDQ", om)):
        public.log_progress(
            by=alice,
            text=marker,
            date=TODAY - datetime.timedelta(days=11),
            organisation=organisation,
            visibility=Visibility.CONFIDENTIAL,
            history_date=recorded,
        )
    deleted = make("MXDELQ", visibility=Visibility.CONFIDENTIAL)
    deleted._history_user = alice
    deleted.delete()
    reowned = make("MXREOWNOLDQ", visibility=Visibility.CONFIDENTIAL, text="MXREOWNNEWQ")
    save(reowned, alice, code="MXREOWNNEWQC", title="MXREOWNNEWQ titel", owner=om)
    made_public = make("MXMPOLDQ", visibility=Visibility.CONFIDENTIAL, text="MXMPNEWQ")
    save(made_public, alice, code="MXMPNEWQC", title="MXMPNEWQ", visibility=Visibility.PUBLIC)
    made_confidential = make(MADE_CONFIDENTIAL_THEN)
    parent = make("MXPARENTQ", owner=om, visibility=Visibility.CONFIDENTIAL)
    make("MXCHILDQ", parent=parent)
    # The letter is sent while MADE_CONFIDENTIAL_THEN is public; it is made confidential after.
    sent = ProgressLetter.objects.create(
        date=TODAY - datetime.timedelta(days=6),
        period_start=TODAY - datetime.timedelta(days=40),
        period_end=TODAY - datetime.timedelta(days=6),
        title="Verzonden brief",
        status=LetterStatus.DRAFT,
    )
    sent.mark_sent(by=alice, at=days_ago(5), history_date=days_ago(5))
    save(
        made_confidential,
        alice,
        code="MXMCNEWQC",
        title="MXMCNEWQ",
        visibility=Visibility.CONFIDENTIAL,
    )
    draft = ProgressLetter.objects.create(
        date=TODAY,
        period_start=TODAY - datetime.timedelta(days=40),
        period_end=TODAY,
        title="Conceptbrief",
    )
    commitment = Commitment.objects.create(number="T1", title="Toezegging", text="Iets")
    commitment._history_user = alice
    commitment.measures.add(confidential, parent, public)
    assert ProgressUpdate.objects.exclude(state=UpdateState.APPROVED).count() == 0
    return {"users": users, "sent": sent, "draft": draft, "measures": Measure.objects.all()}


# --- What a response shows ------------------------------------------------------------------


def text_of(content, content_type):
    """Return the text of a response body: HTML, CSV or Markdown as is; the cells of an .xlsx;
    the XML text of a .docx; the extracted text of a PDF."""
    if content_type.startswith("application/pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    if content_type.startswith("application/vnd.openxmlformats-officedocument.spreadsheet"):
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    if content_type.startswith("application/vnd.openxmlformats-officedocument.wordprocessing"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            xml = "".join(
                archive.read(name).decode()
                for name in archive.namelist()
                if name.startswith("word/") and name.endswith(".xml")
            )
        return re.sub(r"<[^>]+>", "", xml)
    return content.decode()


def measure_pages(ids, suffix=""):
    return [
        reverse(f"measures:{name}", args=[pk]) + suffix
        for pk in ids
        for name in ("detail", "history")
    ]


SUMMARY = reverse("measures:summary") + f"?from={BEFORE - datetime.timedelta(20)}&to={TODAY}"
CHANGES = reverse("measures:changes")

READERS_OF_THE_TRACKER = {
    "dashboard": lambda m: ["/", f"/?as_of={THEN}", f"/?as_of={THEN}&known={THEN}"],
    "list": lambda m: [
        reverse("measures:list"),
        reverse("measures:list") + f"?as_of={THEN}",
        reverse("measures:list") + f"?as_of={THEN}&known={THEN}",
        reverse("measures:list") + f"?letter={m['sent'].pk}",
    ],
    "measure pages": lambda m: measure_pages(m["ids"]),
    "measure pages as of": lambda m: (
        measure_pages(m["ids"], f"?as_of={THEN}&known={THEN}")
        + measure_pages(m["ids"], f"?as_of={TODAY}")
    ),
    "change feed": lambda m: [CHANGES, CHANGES + "?format=csv", CHANGES + "?format=xlsx"],
    "compare": lambda m: [
        reverse("measures:compare") + f"?from={BEFORE}&to={TODAY}",
        reverse("measures:compare") + f"?from={BEFORE}&to={THEN}",
        reverse("measures:compare") + f"?from_letter={m['sent'].pk}&to={TODAY}",
    ],
    "summary": lambda m: (
        [
            SUMMARY + suffix
            for suffix in (
                "",
                "&include_internal=on",
                "&format=md",
                "&include_internal=on&format=md",
            )
        ]
        + [SUMMARY + f"&include_internal=on&format={fmt}" for fmt in ("docx", "pdf")]
    ),
    "draft letter": lambda m: [
        reverse("measures:letters"),
        reverse("measures:letter_detail", args=[m["draft"].pk]),
        reverse("measures:letter_detail", args=[m["draft"].pk]) + "?format=md",
    ],
    "sent letter": lambda m: [
        reverse("measures:letter_detail", args=[m["sent"].pk]) + suffix
        for suffix in ("", "?format=md", "?format=docx", "?format=pdf")
    ],
    "measure export": lambda m: [
        reverse("measures:measure_export", kwargs={"fmt": fmt}) for fmt in ("csv", "xlsx")
    ],
    "commitments": lambda m: [
        reverse("measures:commitments"),
        reverse("measures:commitments") + "?format=csv",
    ],
}


@pytest.fixture
def tracker(matrix, db):
    ids = sorted(set(Measure.history.values_list("id", flat=True)))  # the deleted one too
    return {**matrix, "ids": ids}


def forbidden_for(username, reader):
    forbidden = {marker for marker, readers in READERS.items() if username not in readers}
    if reader == "sent letter":
        forbidden.discard(MADE_CONFIDENTIAL_THEN)  # published while public
    return forbidden


@pytest.mark.parametrize("reader", [*READERS_OF_THE_TRACKER, "reminders"])
@pytest.mark.parametrize("username", sorted(EVERYONE))
def test_no_reader_shows_a_user_what_they_may_not_read(tracker, username, reader):
    user = tracker["users"][username]
    if reader == "reminders":
        mail.outbox = []
        call_command("send_reminders", "--letter-date", TODAY.isoformat(), stdout=io.StringIO())
        shown = {
            message.body
            for message in mail.outbox
            if message.to == [user.email]  # each user's own mail
        }
        texts = [("reminder", text) for text in shown]
    else:
        client = Client()
        client.force_login(user)
        texts = []
        for url in READERS_OF_THE_TRACKER[reader](tracker):
            response = client.get(url)
            assert response.status_code in (200, 404), (url, response.status_code)
            texts.append((url, text_of(response.content, response.get("Content-Type", ""))))
    if reader == "sent letter":  # the exception is real: the letter names it for everyone
        assert any(MADE_CONFIDENTIAL_THEN in text for _url, text in texts)
    if reader == "reminders" and username != "vera":  # a viewer gets no reminder
        assert texts
    forbidden = forbidden_for(username, reader)
    leaks = [(url, marker) for url, text in texts for marker in forbidden if marker in text]
    assert leaks == [], leaks


@pytest.mark.parametrize("username", sorted(EVERYONE))
def test_the_change_feed_shows_each_user_exactly_what_they_may_read(tracker, username):
    """The positive control: the feed lists every record, so a user finds there every marker
    they may read, and no other."""
    client = Client()
    client.force_login(tracker["users"][username])
    text = client.get(CHANGES + "?format=csv").content.decode()
    shown = {marker for marker in READERS if marker in text}
    assert shown == {marker for marker, readers in READERS.items() if username in readers}
