"""The department's letterhead: what every letter's frame carries around its text (the wordmark,
the sender's address, the minister's title in the closing), an optional logo and an optional Word
template of the department's own. One is in use at a time; with none the letters have the
tracker's neutral frame. A sent letter keeps the letterhead in use when it was sent (the summary
reads it through `records_at`, as everything else)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..docx_frame import check_template
from ..locking import Versioned
from .files import StoredFile, is_image
from .history import history


class LetterTemplateQuerySet(models.QuerySet):
    def in_use(self):
        """Return the letterhead in use, or None (the neutral frame)."""
        return self.filter(in_use=True).select_related("logo", "docx").first()


class LetterTemplate(Versioned):
    department = models.CharField(
        _("department"),
        max_length=200,
        help_text=_(
            "The wordmark at the top of every letter, e.g. Ministerie van Justitie en Veiligheid."
        ),
    )
    sender_address = models.TextField(
        _("sender's address"),
        blank=True,
        help_text=_("Printed beside the addressee, one line per line."),
    )
    closing_title = models.CharField(
        _("title in the closing"),
        max_length=200,
        blank=True,
        help_text=_(
            "e.g. De Minister van Justitie en Veiligheid; a letter's own signatory's "
            "title goes first."
        ),
    )
    logo = models.ForeignKey(
        StoredFile,
        verbose_name=_("logo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    docx = models.ForeignKey(
        StoredFile,
        verbose_name=_("Word template"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    in_use = models.BooleanField(
        _("in use"),
        default=True,
        help_text=_("Off: the letters have the tracker's neutral frame."),
    )

    objects = LetterTemplateQuerySet.as_manager()
    history = history()

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("letterhead")
        verbose_name_plural = _("letterheads")
        constraints = [
            models.UniqueConstraint(
                fields=["in_use"],
                condition=Q(in_use=True),
                name="one_letterhead_in_use",
                violation_error_message=_("Another letterhead is in use."),
            )
        ]

    def __str__(self):
        return self.department

    def prepare_change(self):
        # A newly uploaded file is saved in the same transaction as the change that points to
        # it: a change refused after this leaves no file behind.
        for stored in (self.logo, self.docx):
            if stored is not None and stored.pk is None:
                stored.save()

    def clean(self):
        self.department = self.department.strip()
        self.closing_title = self.closing_title.strip().rstrip(",").rstrip()
        if self.logo is not None and not is_image(bytes(self.logo.data)):
            raise ValidationError({"logo": _("The logo must be a PNG or JPEG image.")})
        if self.docx is not None:
            try:
                check_template(bytes(self.docx.data))
            except ValidationError as error:
                raise ValidationError({"docx": error.messages}) from error
