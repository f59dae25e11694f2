"""
Who is reminded of what before the next letter: plain code that returns plain data.

`build_reminders(letter_date)` looks at the programme as it stands and returns, for every
contributor (a user in the contributor group whose profile names an organisation), the open
measures of that organisation without progress since the last sent letter and the open
commitments due before the letter that are linked to those measures; and for every coordinator a
digest of all of it, the measures grouped by organisation. Six queries, however many users,
measures and commitments there are. The `send_reminders` command turns the result into e-mail.
"""

import datetime
from dataclasses import dataclass, field
from itertools import groupby

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q
from django.utils import timezone

from ..access import CONTRIBUTOR, COORDINATOR
from ..models import Commitment, Measure, ProgressLetter


@dataclass
class ContributorReminder:
    user: object
    organisation: object
    measures: list = field(default_factory=list)
    commitments: list = field(default_factory=list)

    @property
    def is_empty(self):
        return not self.measures and not self.commitments


@dataclass
class CoordinatorDigest:
    user: object
    # [(organisation, [measure, …]), …] in the order of the organisations' names.
    measures_by_organisation: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    due: list = field(default_factory=list)

    @property
    def is_empty(self):
        return not self.measures_by_organisation and not self.overdue and not self.due


@dataclass
class Reminders:
    letter_date: datetime.date
    today: datetime.date
    last_letter: object  # The last sent letter before the letter date, or None.
    contributors: list = field(default_factory=list)
    coordinators: list = field(default_factory=list)

    @property
    def since(self):
        return self.last_letter.date if self.last_letter else None


def build_reminders(letter_date, *, today=None):
    """Return the `Reminders` for the letter of `letter_date`."""
    today = today or timezone.localdate()
    last_letter = ProgressLetter.objects.last_sent(before=letter_date - datetime.timedelta(days=1))
    since = last_letter.date if last_letter else None
    measures = list(
        Measure.objects.open()
        .without_progress_since(since)
        .select_related("owner", "plan")
        .order_by("owner__name", "plan__title", "code", "title", "pk")
    )
    commitments = list(
        Commitment.objects.open()
        .filter(due_date__lt=letter_date)
        .prefetch_related(Prefetch("measures", queryset=Measure.objects.only("pk", "owner_id")))
        .order_by("due_date", "number", "pk")
    )
    users = get_user_model().objects.filter(is_active=True)
    contributors = (
        users.filter(groups__name=CONTRIBUTOR, profile__organisation__isnull=False)
        .select_related("profile__organisation")
        .distinct()
        .order_by("username")
    )
    coordinators = (
        users.filter(Q(groups__name=COORDINATOR) | Q(is_superuser=True))
        .distinct()
        .order_by("username")
    )

    reminders = Reminders(letter_date=letter_date, today=today, last_letter=last_letter)
    for user in contributors:
        organisation = user.profile.organisation
        reminders.contributors.append(
            ContributorReminder(
                user=user,
                organisation=organisation,
                measures=[m for m in measures if m.owner_id == organisation.pk],
                commitments=[
                    c
                    for c in commitments
                    if any(m.owner_id == organisation.pk for m in c.measures.all())
                ],
            )
        )
    by_organisation = [
        (organisation, list(group))
        for organisation, group in groupby(measures, key=lambda measure: measure.owner)
    ]
    overdue = [c for c in commitments if c.due_date < today]
    due = [c for c in commitments if c.due_date >= today]
    for user in coordinators:
        reminders.coordinators.append(
            CoordinatorDigest(
                user=user, measures_by_organisation=by_organisation, overdue=overdue, due=due
            )
        )
    return reminders
