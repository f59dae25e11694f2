"""Commitments (toezeggingen and moties) and their links."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..dates import check_dates
from ..locking import Versioned
from .history import history
from .letters import ProgressLetter
from .measures import Measure
from .reference import (
    ChangeReason,
    CommitmentKind,
    CommitmentLinkKind,
    CommitmentStatus,
    MadeAtKind,
    not_in_future,
)

# --- Commitments -------------------------------------------------------------------------------


class CommitmentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=CommitmentStatus.OPEN)

    def overdue(self, today):
        """Return open commitments whose deadline has passed."""
        return self.open().filter(due_date__lt=today)

    def for_organisation(self, organisation, user):
        """Return the commitments linked to a measure of `organisation` that `user` may read."""
        measures = Measure.objects.visible_to(user).filter(owner=organisation)
        return self.filter(
            models.Exists(
                Commitment.measures.through.objects.filter(
                    commitment_id=models.OuterRef("pk"), measure__in=measures
                )
            )
        )

    def unanswered_by(self, day):
        """Return the open commitments due on or before `day`: what a letter ending that day must
        answer (the summary's completeness check counts the same, as recorded at a moment)."""
        return self.open().filter(due_date__lte=day)

    def search(self, text):
        """Return commitments whose number, subject, text, origin or paper contain `text`."""
        words = text.split()
        commitments = self
        for word in words:
            commitments = commitments.filter(
                Q(number__icontains=word)
                | Q(title__icontains=word)
                | Q(text__icontains=word)
                | Q(made_at__icontains=word)
                | Q(made_by__icontains=word)
                | Q(kamerstuk__icontains=word)
            )
        return commitments

    def for_list(self, user):
        """Return commitments with what the register shows, in a fixed number of queries: the
        letters, the links both ways and the measures `user` may see."""
        return self.select_related("made_in_letter", "fulfilled_by").prefetch_related(
            models.Prefetch(
                "measures",
                queryset=Measure.objects.visible_to(user).select_related("owner"),
            ),
            models.Prefetch("links", queryset=CommitmentLink.objects.select_related("target")),
            models.Prefetch(
                "linked_from", queryset=CommitmentLink.objects.select_related("source")
            ),
        )


class Commitment(Versioned):
    kind = models.CharField(
        _("kind"), max_length=20, choices=CommitmentKind.choices, default=CommitmentKind.COMMITMENT
    )
    number = models.CharField(_("number"), max_length=40, blank=True)
    title = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("what was promised or asked"))
    made_by = models.CharField(
        _("made by"), max_length=200, blank=True, help_text=_("Minister or member of parliament")
    )
    made_at_kind = models.CharField(
        _("made at"), max_length=20, choices=MadeAtKind.choices, default=MadeAtKind.DEBATE
    )
    made_at = models.CharField(
        _("debate or letter"), max_length=300, blank=True, help_text=_("e.g. AO of 20 March 2014")
    )
    made_on = models.DateField(_("made on"), null=True, blank=True)
    made_in_letter = models.ForeignKey(
        ProgressLetter,
        verbose_name=_("made in letter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments_made",
    )
    kamerstuk = models.CharField(_("parliamentary paper"), max_length=100, blank=True)
    to_whom = models.CharField(_("to whom"), max_length=200, blank=True)
    deadline_text = models.CharField(
        _("deadline as said"),
        max_length=200,
        blank=True,
        help_text=_("e.g. in the next progress letter, before the summer recess"),
    )
    due_date = models.DateField(_("deadline read as"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.OPEN,
        db_index=True,
    )
    fulfilled_by = models.ForeignKey(
        ProgressLetter,
        verbose_name=_("answered in letter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments_fulfilled",
    )
    fulfilled_on = models.DateField(_("answered on"), null=True, blank=True)
    fulfilment_note = models.TextField(_("how it was answered"), blank=True)
    measures = models.ManyToManyField(
        Measure, verbose_name=_("measures"), blank=True, related_name="commitments"
    )
    source_letter = models.ForeignKey(
        ProgressLetter,
        verbose_name=_("reported in letter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments_reported",
    )

    objects = CommitmentQuerySet.as_manager()
    history = history(m2m_fields=[measures])

    class Meta:
        ordering = ["due_date", "made_on", "pk"]
        verbose_name = _("commitment or motion")
        verbose_name_plural = _("commitments and motions")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=CommitmentStatus.OPEN) | Q(fulfilled_on__isnull=False),
                name="commitment_answered_has_date",
                violation_error_message=_("An answered commitment needs the date it was answered."),
            ),
            models.CheckConstraint(
                condition=Q(made_on__isnull=True)
                | Q(fulfilled_on__isnull=True)
                | Q(made_on__lte=F("fulfilled_on")),
                name="commitment_answered_after_made",
                violation_error_message=_("A commitment cannot be answered before it was made."),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}".strip()

    def get_absolute_url(self):
        return reverse("measures:commitment_detail", args=[self.pk])

    def clean(self):
        check_dates(self)  # 1900-2100, as every date the tracker takes
        if self.made_on and self.fulfilled_on and self.made_on > self.fulfilled_on:
            raise ValidationError(
                {"fulfilled_on": _("A commitment cannot be answered before it was made.")}
            )
        if self.status != CommitmentStatus.OPEN and not self.fulfilled_on:
            raise ValidationError(
                {"fulfilled_on": _("An answered commitment needs the date it was answered.")}
            )
        today = timezone.localdate()
        for name in ("made_on", "fulfilled_on"):
            day = getattr(self, name)
            if day is not None and day > today:
                raise ValidationError({name: not_in_future(day)})

    @property
    def is_late(self):
        """Return True if it was answered after its deadline (or is open past it today)."""
        if self.due_date is None:
            return False
        answered = self.fulfilled_on or timezone.localdate()
        return answered > self.due_date

    def is_overdue(self, today):
        return self.status == CommitmentStatus.OPEN and bool(
            self.due_date and self.due_date < today
        )

    def fulfil(
        self,
        *,
        by,
        letter=None,
        on=None,
        status=CommitmentStatus.FULFILLED,
        note="",
        history_date=None,
        expected_version=None,
    ):
        """Record how the commitment was answered: by `letter` (its date by default) or on `on`.

        Claims the version read (or `expected_version`, the form's): of N answers sent at once
        one is recorded and the others are refused (StaleEdit). `history_date` dates the history
        record (replaying past letters); default now.
        """
        if status == CommitmentStatus.OPEN:
            raise ValidationError(_("Choose how the commitment was answered."))
        if self.status != CommitmentStatus.OPEN:
            raise ValidationError(_("This commitment has already been answered."))
        self.status = status
        self.fulfilled_by = letter
        self.fulfilled_on = on or (letter.date if letter else timezone.localdate())
        self.fulfilment_note = note
        self.save_change(
            by=by,
            reason=ChangeReason.ANSWERED,
            expected_version=expected_version or self.version,
            history_date=history_date,
        )


class CommitmentLink(models.Model):
    """A relation between two commitments: one repeats, supplements or amends the other."""

    source = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.CASCADE, related_name="links"
    )
    target = models.ForeignKey(
        Commitment,
        verbose_name=_("related commitment"),
        on_delete=models.CASCADE,
        related_name="linked_from",
    )
    kind = models.CharField(_("relation"), max_length=20, choices=CommitmentLinkKind.choices)

    history = history()

    class Meta:
        verbose_name = _("link between commitments")
        verbose_name_plural = _("links between commitments")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="commitment_link_unique"),
            models.CheckConstraint(
                condition=~Q(source=F("target")), name="commitment_link_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.source} {self.get_kind_display().lower()} {self.target}"
