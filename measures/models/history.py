"""History for every domain model: where a change came from and the history table's shape."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..attribution import current_user


class HistoryOrigin(models.Model):
    """Extra columns on every history table: where the change came from."""

    history_origin = models.CharField(_("origin"), max_length=200, blank=True)

    class Meta:
        abstract = True


class TrackedHistory(HistoricalRecords):
    """simple-history with the indexes our reads of the past need on every history table.

    Besides simple-history's (history_date, id) for the newest-first change feed: (id,
    history_date, history_id), so "the latest record of this object at that moment" (the
    correlated subquery of `asof.latest_records`, run once per object by the summary and the
    as-of pages) is one index seek without a sort; it replaces the plain index on id (the
    history tables of many-to-many fields, read by their record's history_id only, keep no
    index on id). `indexes` adds a table's own, e.g. the date of a progress update the summary
    selects by.
    """

    def __init__(self, *, indexes=(), **kwargs):
        super().__init__(no_db_index=["id"], **kwargs)
        self.extra_indexes = indexes

    def get_meta_options(self, model):
        meta = super().get_meta_options(model)
        meta["indexes"] = (
            *meta.get("indexes", ()),
            models.Index(fields=(model._meta.pk.attname, "history_date", "history_id")),
            *(models.Index(fields=fields) for fields in self.extra_indexes),
        )
        return meta


def history(*, rules=(), **kwargs):
    """Return the HistoricalRecords every domain model uses; `rules` are mixins the model and its
    history records share, so a record of the past answers the same rules as a live row."""
    return TrackedHistory(
        bases=[HistoryOrigin, *rules],
        get_user=current_user,
        cascade_delete_history=False,
        **kwargs,
    )
