"""Progress letters to parliament."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..dates import check_dates
from ..formatting import date_nl
from ..locking import Versioned
from .history import history
from .reference import (
    FIGURE_YEARS,
    ChangeReason,
    LetterKind,
    LetterStatus,
    PassagePlace,
    end_of_day,
    not_in_future,
)

# --- Letters -----------------------------------------------------------------------------------

# Where a letter to parliament goes unless it says otherwise (the addressee block of its frame).
DEFAULT_ADDRESSEE = (
    "De Voorzitter van de Tweede Kamer der Staten-Generaal\nPostbus 20018\n2500 EA  DEN HAAG"
)


class ProgressLetterQuerySet(models.QuerySet):
    def sent(self):
        return self.filter(status=LetterStatus.SENT)

    def last_sent(self, before=None):
        """Return the most recent sent letter (on or before `before`), or None."""
        letters = self.sent()
        if before is not None:
            letters = letters.filter(date__lte=before)
        return letters.order_by("-date", "-pk").first()

    def drafts_since(self, last):
        """Return the drafts being prepared, newest first: the unsent letters dated on or after
        `last` (the last sent letter; None: every draft)."""
        drafts = self.filter(status=LetterStatus.DRAFT)
        if last is not None:
            drafts = drafts.filter(date__gte=last.date)
        return drafts.order_by("-date", "-pk")

    def drafts_of(self, start, end):
        """Return the draft letters reporting on exactly [start, end]."""
        return self.filter(status=LetterStatus.DRAFT, period_start=start, period_end=end)

    def next_period(self, today=None):
        """Return (from, to) the next letter reports on when nobody chose otherwise (see
        `ProgressLetter.period_after`)."""
        today = today or timezone.localdate()
        return ProgressLetter.period_after(self.last_sent(before=today), today)


class ProgressLetter(Versioned):
    """A letter to parliament; once sent it fixes what was reported as of its date."""

    date = models.DateField(_("date"))
    date_is_estimated = models.BooleanField(
        _("date estimated"),
        default=False,
        help_text=_("The letter itself carries no date; the date was derived from its content."),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=LetterKind.choices, default=LetterKind.PROGRESS
    )
    title = models.CharField(_("title"), max_length=300)
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    kamerstuk = models.CharField(
        _("parliamentary paper"), max_length=100, blank=True, help_text=_("e.g. 31 015, nr. 112")
    )
    signed_by = models.CharField(_("signed by"), max_length=200, blank=True)
    signed_title = models.CharField(
        _("title of the signatory"),
        max_length=200,
        blank=True,
        help_text=_("Empty: the minister's title of the letterhead in use."),
    )
    # The letter's frame: what a letter to parliament carries around its text besides its date,
    # subject (title) and signatory.
    addressee = models.TextField(
        _("addressee"),
        default=DEFAULT_ADDRESSEE,
        help_text=_("The address block, one line per line."),
    )
    our_reference = models.CharField(_("our reference"), max_length=100, blank=True)
    your_reference = models.CharField(_("your reference"), max_length=100, blank=True)
    enclosures = models.CharField(
        _("enclosures"), max_length=200, blank=True, help_text=_("e.g. 2, or the names")
    )
    figures_from_year = models.PositiveSmallIntegerField(
        _("figures from year"),
        null=True,
        blank=True,
        help_text=_(
            "The first year the letter's figure tables show. Empty: from each indicator's "
            "first figure, or from its plan's start."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=LetterStatus.choices, default=LetterStatus.DRAFT
    )
    sent_at = models.DateTimeField(_("marked as sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked as sent by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source_file = models.CharField(_("source file"), max_length=200, blank=True)

    objects = ProgressLetterQuerySet.as_manager()
    history = history()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("progress letter")
        verbose_name_plural = _("progress letters")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_start__lte=F("period_end")),
                name="letter_period_in_order",
                violation_error_message=_("The period must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(status=LetterStatus.DRAFT) | Q(sent_at__isnull=False),
                name="letter_sent_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({date_nl(self.date)})"

    def clean(self):
        check_dates(self)  # 1900-2100, as every date the tracker takes
        if self.period_start and self.period_end and self.period_start > self.period_end:
            raise ValidationError({"period_end": _("The period must end after it starts.")})
        year, last_day = self.figures_from_year, self.period_end or self.date
        if year is not None and year < FIGURE_YEARS[0]:
            raise ValidationError(
                {"figures_from_year": _("Enter a year from %(year)s.") % {"year": FIGURE_YEARS[0]}}
            )
        if year is not None and last_day is not None and year > last_day.year:
            message = _(
                "The figures cannot start after the last year the letter reports on (%(year)s)."
            )
            raise ValidationError({"figures_from_year": message % {"year": last_day.year}})
        self._keep_sent_content()

    # What a sent letter published: fixed once it is sent (its parliamentary paper number may
    # still be corrected). The builder reads these from the letter itself.
    SENT_CONTENT = (
        "date",
        "kind",
        "title",
        "period_start",
        "period_end",
        "signed_by",
        "signed_title",
        "addressee",
        "our_reference",
        "your_reference",
        "enclosures",
        "figures_from_year",
    )

    def _keep_sent_content(self):
        """Refuse a change to what a sent letter published (in the tracker and the admin)."""
        if self.pk is None:
            return
        stored = (
            ProgressLetter.objects.filter(pk=self.pk, status=LetterStatus.SENT)
            .values(*self.SENT_CONTENT)
            .first()
        )
        if stored is None:
            return
        changed = [name for name in self.SENT_CONTENT if getattr(self, name) != stored[name]]
        if changed:
            raise ValidationError(
                {
                    name: _(
                        "This letter has been sent: what it published can no longer be changed."
                    )
                    for name in changed
                }
            )

    @staticmethod
    def period_after(last, today):
        """Return (from, to) of the letter after `last` (the last sent letter, or None): from
        its date (or 1 January) up to `today`."""
        return (last.date if last else datetime.date(today.year, 1, 1)), today

    @property
    def is_sent(self):
        return self.status == LetterStatus.SENT

    @property
    def as_of(self):
        """Return the end of the letter's date, Amsterdam time."""
        return end_of_day(self.date)

    @property
    def period(self):
        """Return (first day, last day) the letter reports on; its date when it names none."""
        return (self.period_start or self.date, self.period_end or self.date)

    @property
    def known_at(self):
        """Return the record moment a sent letter fixes: the moment it was marked as sent (what
        the tracker knew then); None for a draft, which reads now."""
        return self.sent_at if self.is_sent else None

    def mark_checked(self, *, by, expected_version=None):
        """Record that `by` read the draft through and found it ready to send. Claims the version
        read (or `expected_version`): a draft changed since the page was shown is refused
        (StaleEdit). A sent letter is not checked any more."""
        if self.is_sent:
            raise ValidationError(_("This letter has already been marked as sent."))
        self.checked_at = timezone.now()
        self.checked_by = by
        self.save_change(
            by=by, reason=ChangeReason.CHECKED, expected_version=expected_version or self.version
        )

    def previous_sent(self):
        """Return the sent letter before this one (by date, then by number), or None: what a
        letter is compared with."""
        earlier = Q(date__lt=self.date) | Q(date=self.date, pk__lt=self.pk)
        return ProgressLetter.objects.sent().filter(earlier).order_by("-date", "-pk").first()

    def mark_sent(
        self, *, by, at=None, on=None, history_date=None, expected_version=None, kamerstuk=None
    ):
        """Fix the letter: from now on it reports the programme as it stood on its date.

        Claims the version read (or `expected_version`), so of two people sending it at once
        one is refused (StaleEdit). `kamerstuk`, when given, is the parliamentary paper it went
        out as. `on` is the day it went out (never in the future, never before the letter's
        date): sent today it fixes what is known now, sent earlier what was known at the end of
        that day. `at` gives the moment itself (replaying past letters); default now.
        `history_date` dates the history record; default now.
        """
        if self.is_sent:
            raise ValidationError(_("This letter has already been marked as sent."))
        if on is not None:
            if on > timezone.localdate():
                raise ValidationError({"sent_on": not_in_future(on)})
            if on < self.date:
                raise ValidationError(
                    {
                        "sent_on": ValidationError(
                            _("A letter is not sent before its date (%(day)s)."),
                            code="before_letter",
                            params={"day": date_nl(self.date)},
                        )
                    }
                )
            if on != timezone.localdate():
                at = end_of_day(on)
        if kamerstuk is not None:
            self.kamerstuk = kamerstuk
        self.status = LetterStatus.SENT
        self.sent_at = at or timezone.now()
        self.sent_by = by
        self.save_change(
            by=by,
            reason=ChangeReason.SENT,
            expected_version=expected_version or self.version,
            history_date=history_date,
        )


# --- The coordinator's own words in a letter ---------------------------------------------------

# The object a passage is placed by, per place; the other places (opening, assessment, closing)
# have none.
PASSAGE_TARGETS = {
    PassagePlace.THEME: "theme",
    PassagePlace.PLAN: "plan",
    PassagePlace.ACTION_LINE: "action_line",
    PassagePlace.MEASURE: "measure",
}
TARGET_FIELDS = tuple(PASSAGE_TARGETS.values())


def passage_key(place, target_id=None):
    """Return the one name of a place in a letter: "opening", "theme-3", "measure-42". The
    builder hangs passages by it and the letter's text page names its fields by it."""
    return f"{place}-{target_id}" if place in PASSAGE_TARGETS else str(place)


def _target_matches_place():
    """The condition that a passage has exactly the target its place asks for."""
    condition = Q(place__in=[p for p in PassagePlace.values if p not in PASSAGE_TARGETS]) & Q(
        **{f"{name}__isnull": True for name in TARGET_FIELDS}
    )
    for place, name in PASSAGE_TARGETS.items():
        condition |= Q(place=place, **{f"{name}__isnull": False}) & Q(
            **{f"{other}__isnull": True for other in TARGET_FIELDS if other != name}
        )
    return condition


PASSAGE_TAKEN = _("This letter already has a text at this place.")


def readable_passages(records, user):
    """Return the letter texts (rows or history records) among `records` that `user` may read:
    a text replacing a measure's paragraph is as readable as the measure is now
    (`readable_measures`); the others are the letter's own."""
    from .measures import Measure, readable_measures  # measures imports this module

    if user is None:
        return records
    visible = readable_measures(Measure.objects.all(), user).values("pk")
    return records.filter(Q(measure_id__isnull=True) | Q(measure_id__in=visible))


class LetterPassage(Versioned):
    """The coordinator's own text at one place of a letter: its opening, a paragraph before a
    theme, plan or action line, a measure's paragraph replaced for this letter only, the
    assessment or the closing. Plain text with simple lists and emphasis (`reports.text`).

    One passage per letter and place (and target). A sent letter keeps its words: a passage of
    a sent letter is neither written nor deleted (`clean`, `delete`; the admin asks the same).
    An emptied passage stays, empty, so its history stays with it; the letter shows nothing
    there then."""

    letter = models.ForeignKey(
        ProgressLetter,
        verbose_name=_("letter"),
        on_delete=models.CASCADE,
        related_name="passages",
    )
    place = models.CharField(_("place"), max_length=20, choices=PassagePlace.choices)
    theme = models.ForeignKey(
        "measures.Theme",
        verbose_name=_("theme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    plan = models.ForeignKey(
        "measures.Plan",
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action_line = models.ForeignKey(
        "measures.ActionLine",
        verbose_name=_("action line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    measure = models.ForeignKey(
        "measures.Measure",
        verbose_name=_("measure"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("text"), blank=True, max_length=20000)

    history = history()

    stale_message = _(
        "Someone else saved this text of the letter while you were editing it. Your text has "
        "not been saved. Check what changed meanwhile and make your edit again."
    )

    class Meta:
        ordering = ["letter", "place", "pk"]
        verbose_name = _("letter text")
        verbose_name_plural = _("letter texts")
        constraints = [
            models.CheckConstraint(
                condition=_target_matches_place(),
                name="passage_target_matches_place",
                violation_error_message=_(
                    "Choose the theme, plan, action line or measure this place asks for, and "
                    "no other."
                ),
            ),
            models.UniqueConstraint(
                fields=["letter", "place"],
                condition=Q(place__in=[p for p in PassagePlace.values if p not in PASSAGE_TARGETS]),
                name="passage_unique_place",
                violation_error_message=PASSAGE_TAKEN,
            ),
            *(
                models.UniqueConstraint(
                    fields=["letter", name],
                    condition=Q(place=place),
                    name=f"passage_unique_{name}",
                    violation_error_message=PASSAGE_TAKEN,
                )
                for place, name in PASSAGE_TARGETS.items()
            ),
        ]

    def __str__(self):
        return f"{self.get_place_display()} ({self.letter_id and self.letter.title})"

    def clean(self):
        if (
            self.letter_id
            and ProgressLetter.objects.filter(pk=self.letter_id, status=LetterStatus.SENT).exists()
        ):
            raise ValidationError(SENT_KEEPS_ITS_WORDS, code="sent")

    def delete(self, *args, **kwargs):
        if self.letter.is_sent:
            raise ValidationError(SENT_KEEPS_ITS_WORDS, code="sent")
        return super().delete(*args, **kwargs)

    @property
    def key(self):
        name = PASSAGE_TARGETS.get(self.place)
        return passage_key(self.place, getattr(self, f"{name}_id") if name else None)

    def text_at(self, version):
        """Return the text this passage had at `version` ("" when it had none)."""
        record = self.history.filter(version=version).values_list("text", flat=True).first()
        return record or ""

    @classmethod
    def for_key(cls, letter, key):
        """Return a new passage of `letter` at the place named `key` (see `passage_key`);
        ValueError for a name that is no place."""
        place, _sep, target = key.partition("-")
        if place not in PassagePlace.values or bool(target) != (place in PASSAGE_TARGETS):
            raise ValueError(key)
        passage = cls(letter=letter, place=place)
        if target:
            setattr(passage, f"{PASSAGE_TARGETS[place]}_id", int(target))
        return passage


SENT_KEEPS_ITS_WORDS = _(
    "This letter has been sent: it keeps the words it was sent with, and they can no longer "
    "be changed."
)
