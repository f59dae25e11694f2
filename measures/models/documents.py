"""The document register (parliamentary papers, research reports, evaluations, bills), what each
document is linked to, dated events on a measure, links between measures, and the names an
organisation carried before.

Links are rows of their own with their own history (as `CommitmentLink`), so the one reader of
the past (`asof.records_at`) tells what was linked when a letter was sent.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..dates import check_dates
from ..formatting import date_nl
from ..locking import Versioned
from .commitments import Commitment
from .files import StoredFile
from .history import history
from .letters import ProgressLetter
from .measures import Measure, readable_measures, readable_updates
from .plans import Plan
from .reference import Organisation, Visibility, not_in_future


class DocumentKind(models.TextChoices):
    KAMERSTUK = "kamerstuk", _("Parliamentary paper")
    RESEARCH = "research", _("Research report")
    EVALUATION = "evaluation", _("Evaluation")
    BILL = "bill", _("Bill or act")
    OTHER = "other", _("Other document")


class MeasureLinkKind(models.TextChoices):
    CONTINUES = "continues", _("Continues")
    REPLACES = "replaces", _("Replaces")
    SPLIT_FROM = "split_from", _("Split from")


web_address = URLValidator(
    schemes=["http", "https"], message=_("Enter a web address starting with http:// or https://.")
)


def _readable_measure_ids(user):
    return readable_measures(Measure.objects.all(), user).values("pk")


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the documents `user` may see: those linked to no measure, or to at least one
        measure `user` may read (`readable_measures`). A document linked only to confidential
        measures is as confidential as they are: its title would tell what they are about."""
        if user is None:
            return self
        to_measures = DocumentLink.objects.filter(document=OuterRef("pk"), measure__isnull=False)
        readable = to_measures.filter(measure__in=_readable_measure_ids(user))
        return self.filter(~Exists(to_measures) | Exists(readable))

    def search(self, text):
        """Return documents whose title, dossier, number or issuing organisation contain every
        word of `text`."""
        documents = self
        for word in (text or "").split():
            documents = documents.filter(
                Q(title__icontains=word)
                | Q(dossier__icontains=word)
                | Q(number__icontains=word)
                | Q(organisation__name__icontains=word)
                | Q(organisation__abbreviation__icontains=word)
            )
        return documents

    def linked_to(self, target, obj):
        """Return the documents linked to `obj`, a "measure", "plan", "commitment" or "letter"
        (`target`), newest first, with their organisation."""
        return self.filter(**{f"links__{target}": obj}).select_related("organisation")

    def for_list(self):
        """Return documents with what a list row shows (the organisation and the file's name and
        size, not its bytes), in one query."""
        return self.select_related("organisation").defer("file__data").select_related("file")


class Document(Versioned):
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"))
    date_is_estimated = models.BooleanField(
        _("date estimated"),
        default=False,
        help_text=_("No source states the day; it is the last day of the time it names."),
    )
    dossier = models.CharField(
        _("dossier number"), max_length=40, blank=True, help_text=_("e.g. 31 015")
    )
    number = models.CharField(_("number in the dossier"), max_length=20, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    url = models.CharField(_("web address"), max_length=500, blank=True, validators=[web_address])
    file = models.ForeignKey(
        StoredFile,
        verbose_name=_("file"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = DocumentQuerySet.as_manager()
    history = history()

    class Meta:
        ordering = ["-date", "title", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="kamerstuk") | (~Q(dossier="") & ~Q(number="")),
                name="document_kamerstuk_has_number",
                violation_error_message=_(
                    "A parliamentary paper needs its dossier number and its number."
                ),
            ),
        ]

    def __str__(self):
        if self.reference:
            return f"{self.reference}: {self.title}"
        return self.title

    def get_absolute_url(self):
        return reverse("measures:document_detail", args=[self.pk])

    @property
    def reference(self):
        """Return the paper's citation ("31 015, nr. 112"), or "" for other documents."""
        return kamerstuk_reference(self.kind, self.dossier, self.number)

    def clean(self):
        check_dates(self)
        errors = {}
        if self.date and self.date > timezone.localdate():
            errors["date"] = not_in_future(self.date)
        if self.kind == DocumentKind.KAMERSTUK:
            if not self.dossier.strip():
                errors["dossier"] = _("A parliamentary paper needs its dossier number.")
            if not self.number.strip():
                errors["number"] = _("A parliamentary paper needs its number in the dossier.")
        if errors:
            raise ValidationError(errors)

    @transaction.atomic
    def save_with_links(self, *, by, links, expected_version=None, history_date=None):
        """Save the document (the one write path, `save_change`) and make it linked to exactly
        `links`: {"measure": [...], "plan": [...], "commitment": [...], "letter": [...]} (a
        kind left out keeps its links). Each link added or removed is a dated history record."""
        self.save_change(by=by, expected_version=expected_version, history_date=history_date)
        moment = history_date
        for target, objects in links.items():
            wanted = {obj.pk for obj in objects}
            current = {
                getattr(link, f"{target}_id"): link
                for link in self.links.filter(**{f"{target}__isnull": False})
            }
            for pk, link in current.items():
                if pk not in wanted:
                    link._history_user = by
                    if moment is not None:
                        moment += datetime.timedelta(seconds=1)
                        link._history_date = moment
                    link.delete()
            for pk in wanted - set(current):
                link = DocumentLink(document=self, **{f"{target}_id": pk})
                if moment is not None:
                    moment += datetime.timedelta(seconds=1)
                link.record(by=by, history_date=moment)
        return self


def kamerstuk_reference(kind, dossier, number):
    """Return a parliamentary paper's citation as the letters write it: "31 015, nr. 112"."""
    if kind != DocumentKind.KAMERSTUK or not (dossier or "").strip():
        return ""
    return f"{dossier.strip()}, nr. {number.strip()}" if (number or "").strip() else dossier


LINK_TARGETS = ("measure", "plan", "commitment", "letter")


class DocumentLinkQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the links `user` may see: of a document `user` may see, and to no measure or
        to one `user` may read."""
        if user is None:
            return self
        return self.filter(
            Q(measure__isnull=True) | Q(measure__in=_readable_measure_ids(user)),
            document__in=Document.objects.visible_to(user).values("pk"),
        )


class DocumentLink(models.Model):
    """A document linked to one measure, plan, commitment or letter."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="links"
    )
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("measure"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="document_links",
    )
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="document_links",
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="document_links",
    )
    letter = models.ForeignKey(
        ProgressLetter,
        verbose_name=_("letter"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="document_links",
    )

    objects = DocumentLinkQuerySet.as_manager()
    history = history()

    class Meta:
        verbose_name = _("link to a document")
        verbose_name_plural = _("links to documents")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(measure__isnull=False, plan=None, commitment=None, letter=None)
                    | Q(measure=None, plan__isnull=False, commitment=None, letter=None)
                    | Q(measure=None, plan=None, commitment__isnull=False, letter=None)
                    | Q(measure=None, plan=None, commitment=None, letter__isnull=False)
                ),
                name="document_link_one_target",
                violation_error_message=_(
                    "Link the document to one measure, plan, commitment or letter."
                ),
            ),
            *(
                models.UniqueConstraint(
                    fields=["document", target],
                    name=f"document_link_{target}_unique",
                    violation_error_message=_("The document is already linked to this."),
                )
                for target in LINK_TARGETS
            ),
        ]

    def __str__(self):
        return f"{self.document} – {self.target}"

    @property
    def target(self):
        return self.measure or self.plan or self.commitment or self.letter

    def record(self, *, by, history_date=None):
        """Validate and save the link as a change by `by` (dated `history_date` when replaying)."""
        self._history_user = by
        if history_date is not None:
            self._history_date = history_date
        try:
            self.full_clean()
            self.save()
        finally:
            self.__dict__.pop("_history_date", None)
        return self


class MeasureEventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the events `user` may read: the rule of progress updates (`readable_updates`)."""
        return readable_updates(self, user)


class MeasureEvent(Versioned):
    """A dated event in a measure's life the letters report: an appointment, a first conviction,
    a signed agreement."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="events"
    )
    date = models.DateField(_("date"))
    date_is_estimated = models.BooleanField(
        _("date estimated"),
        default=False,
        help_text=_("No source states the day; it is the last day of the time it names."),
    )
    text = models.TextField(_("what happened"))
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    author_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source_letter = models.ForeignKey(
        ProgressLetter,
        verbose_name=_("reported in letter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measure_events",
    )

    objects = MeasureEventQuerySet.as_manager()
    history = history(indexes=[("date",)])

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self):
        return f"{date_nl(self.date)}: {self.text[:60]}"

    def clean(self):
        check_dates(self)
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": not_in_future(self.date)})
        if self.text is not None and not self.text.strip():
            raise ValidationError({"text": _("Say what happened.")})


class MeasureLinkQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the links between two measures `user` may both read."""
        if user is None:
            return self
        readable = _readable_measure_ids(user)
        return self.filter(source__in=readable, target__in=readable)


class MeasureLink(models.Model):
    """One measure continues, replaces or was split from another."""

    source = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="links"
    )
    target = models.ForeignKey(
        Measure,
        verbose_name=_("earlier measure"),
        on_delete=models.CASCADE,
        related_name="linked_from",
    )
    kind = models.CharField(_("relation"), max_length=20, choices=MeasureLinkKind.choices)

    objects = MeasureLinkQuerySet.as_manager()
    history = history()

    class Meta:
        verbose_name = _("link between measures")
        verbose_name_plural = _("links between measures")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target"],
                name="measure_link_unique",
                violation_error_message=_("These two measures are already linked."),
            ),
            models.CheckConstraint(
                condition=~Q(source=F("target")),
                name="measure_link_not_self",
                violation_error_message=_("A measure cannot be linked to itself."),
            ),
        ]

    def __str__(self):
        return f"{self.source} – {self.get_kind_display().lower()} – {self.target}"

    def clean(self):
        if self.source_id and self.source_id == self.target_id:
            raise ValidationError({"target": _("A measure cannot be linked to itself.")})
        if (
            self.source_id
            and self.target_id
            and MeasureLink.objects.filter(
                Q(source_id=self.target_id, target_id=self.source_id)
            ).exists()
        ):
            raise ValidationError({"target": _("These two measures are already linked.")})

    def record(self, *, by, history_date=None):
        """Validate and save the link as a change by `by` (dated `history_date` when replaying)."""
        self._history_user = by
        if history_date is not None:
            self._history_date = history_date
        try:
            self.full_clean()
            self.save()
        finally:
            self.__dict__.pop("_history_date", None)
        return self


class OrganisationName(models.Model):
    """A name an organisation carried until a day: a letter dated on or before that day names it
    so ("Ministerie van Veiligheid en Justitie" until 25 October 2017)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="former_names",
    )
    name = models.CharField(_("name"), max_length=200)
    abbreviation = models.CharField(_("abbreviation"), max_length=40, blank=True)
    used_until = models.DateField(_("used until"))

    history = history()

    class Meta:
        ordering = ["organisation", "used_until"]
        verbose_name = _("former name")
        verbose_name_plural = _("former names")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "used_until"],
                name="organisation_name_unique_day",
                violation_error_message=_("The organisation already has a name until that day."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({_('until')} {date_nl(self.used_until)})"

    def clean(self):
        check_dates(self)
