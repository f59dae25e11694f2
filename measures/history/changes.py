"""
Turning history records into changes a person can read.

Every domain model keeps its history (django-simple-history). This module reads those records and
returns plain `Change` objects: who (name and organisation), when, from where (`history_origin`),
why (`history_change_reason`) and, per field, from what to what *in words*: choice labels instead
of codes, names instead of ids, added and removed partners and countries by name.

The queries stay flat however many records are described: one query per model for the records
(with their predecessor's id annotated), one for the predecessors, one per many-to-many field for
the partner/country snapshots, and one per related model to turn ids into names.

    changes = latest_changes({Measure: Measure.history.filter(id=7)}, limit=25, user=request.user)
    for change in changes.items: change.user_name, change.when_text, change.fields …
"""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import models as domain
from ..access import is_coordinator, user_organisation
from ..formatting import date_nl, display_name, number_nl
from ..models import (
    ChangeReason,
    LetterPassage,
    Measure,
    ProgressLetter,
    ProgressUpdate,
    end_of_day,
    readable_passages,
)

# Bookkeeping fields that change on every save and say nothing to a reader.
SKIPPED_FIELDS = {"updated_at", "created_at", "version"}

KIND_LABELS = {
    "+": _("created"),
    "~": _("changed"),
    "-": _("deleted"),
}

# Where a change came from, in words: the management commands that write domain data.
COMMAND_ORIGINS = {
    "seed": _("loading the example data"),
    "create_demo_users": _("creating the demo accounts"),
    "import_measures": _("the spreadsheet import (command)"),
    "restore": _("restoring a backup"),
    "send_reminders": _("sending the reminders"),
}


@dataclass
class FieldChange:
    name: str
    label: str
    old_text: str = ""
    new_text: str = ""
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)

    @property
    def is_many(self):
        return bool(self.added or self.removed)


@dataclass
class Change:
    record: object
    model: type
    kind: str
    object_id: int
    object_label: str
    date: datetime.datetime
    user_name: str
    organisation_name: str
    origin: str
    reason: str
    measure_id: int | None
    fields: list = field(default_factory=list)

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]

    @property
    def model_label(self):
        return self.model._meta.verbose_name

    @property
    def model_name(self):
        return self.model._meta.model_name

    @property
    def when_text(self):
        local = timezone.localtime(self.date)
        return f"{date_nl(local)} {local:%H:%M}"

    @property
    def history_id(self):
        return self.record.history_id

    @property
    def origin_text(self):
        return origin_in_words(self.origin)


@dataclass
class ChangePage:
    items: list
    has_more: bool
    # Whether the reader sees where changes came from (see may_see_origin).
    show_origin: bool = False

    @property
    def next_before(self):
        """The cursor for the next (older) page: the date of the oldest change shown."""
        return self.items[-1].date if self.has_more and self.items else None


# --- Which models, which fields ------------------------------------------------------------------


def tracked_models():
    """Return the domain models with history, in the order the feed filter lists them."""
    return [
        domain.Measure,
        domain.ProgressUpdate,
        domain.Commitment,
        domain.CommitmentLink,
        domain.Plan,
        domain.ActionLine,
        domain.ProgressLetter,
        domain.LetterPassage,
        domain.Indicator,
        domain.IndicatorValue,
        domain.Organisation,
        domain.Country,
        domain.Theme,
        domain.Profile,
    ]


def m2m_fields(model):
    """Return the many-to-many fields whose history is kept for `model`."""
    return list(getattr(model.history.model, "_history_m2m_fields", []))


def m2m_history_model(model, m2m_field):
    history_model = model.history.model
    return apps.get_model(
        history_model._meta.app_label, f"{history_model.__name__}_{m2m_field.name}"
    )


def m2m_target_attname(m2m_field):
    """Return the field on the through table that points to the related object."""
    return m2m_field.m2m_reverse_field_name()


def plain_fields(model):
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in SKIPPED_FIELDS and f.name != model._meta.pk.name and f.editable
    ]


# --- Reading records --------------------------------------------------------------------------


def with_previous(queryset):
    """Annotate each historical record with the history_id of the record before it (same object,
    ordered by history_date then history_id, so two records with one timestamp still chain)."""
    history = queryset.model
    earlier = (
        history.objects.filter(id=OuterRef("id"))
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return queryset.annotate(previous_history_id=Subquery(earlier))


def _record_queryset(queryset):
    return with_previous(
        queryset.select_related("history_user__profile__organisation").order_by(
            "-history_date", "-history_id"
        )
    )


def newest_record_keys(querysets, *, limit, before=None):
    """Return [(model, history_id, previous history_id)] of the newest `limit` records over
    `querysets` (a dict: model → historical queryset), newest first, in ONE query: a UNION ALL
    of (model number, history_id, history_date, predecessor's history_id), each part cut to
    its own newest `limit` rows (through the history_date index) by a sliced subquery, which
    SQLite allows where it refuses ORDER BY and LIMIT on the parts of a compound statement."""
    models_by_number = list(querysets)
    parts = []
    for number, model in enumerate(models_by_number):
        queryset = querysets[model]
        if before is not None:
            queryset = queryset.filter(history_date__lt=before)
        newest = queryset.order_by("-history_date", "-history_id").values("history_id")[:limit]
        parts.append(
            with_previous(model.history.filter(history_id__in=newest))
            .annotate(model_number=Value(number, output_field=models.IntegerField()))
            .values_list("model_number", "history_id", "history_date", "previous_history_id")
            .order_by()
        )
    if not parts:
        return []
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    rows = union.order_by("-history_date", "-history_id")[:limit]
    return [
        (models_by_number[number], history_id, previous) for number, history_id, _, previous in rows
    ]


def latest_changes(querysets, *, limit, user, before=None):
    """Return a ChangePage with the newest `limit` changes over `querysets` (a dict: model →
    historical queryset, already read through the access rule for `user`), older than `before`
    when given, newest first.

    One query finds the newest records over all models (newest_record_keys); then one query per
    model that is on the page reads those records and their predecessors (those `user` may
    read); describe() names them."""
    keys = newest_record_keys(querysets, limit=limit + 1, before=before)
    has_more = len(keys) > limit
    keys = keys[:limit]
    wanted = {}
    for model, history_id, previous_id in keys:
        wanted.setdefault(model, set()).update({history_id, previous_id} - {None})
    records = {}
    for model, history_ids in wanted.items():
        rows = readable_records(
            model, model.history.filter(history_id__in=history_ids), user
        ).select_related("history_user__profile__organisation")
        for record in rows:
            records[(model, record.history_id)] = record
    chosen = []
    for model, history_id, previous_id in keys:
        record = records.get((model, history_id))
        if record is not None:
            record.previous_history_id = previous_id
            chosen.append((model, record))
    return ChangePage(
        items=describe(chosen, user=user, records=records),
        has_more=has_more,
        show_origin=may_see_origin(user),
    )


def changes_since(instance, version, *, user):
    """Return the changes to `instance` (a Versioned model's row) saved after `version`
    (oldest first) that `user` may read, for a stale edit."""
    model = type(instance)
    records = model.history.filter(id=instance.pk, version__gt=version or 0)
    records = list(_record_queryset(readable_records(model, records, user)).reverse())
    return describe([(model, r) for r in records], user=user)


def stale_message(stale, user):
    """Return a refused transition (a StaleEdit) in one message: the refusal and what changed
    since (`stale_lines`)."""
    return " ".join([*stale.messages, *stale_lines(stale, user)])


def stale_lines(stale, user):
    """Return one line per field changed since a refused edit (a StaleEdit) started, as far as
    `user` may read: who, and from what to what. Read now, when the refusal is shown."""
    if not stale.expected_version or stale.instance.pk is None:
        return []
    lines = []
    for change in changes_since(stale.instance, stale.expected_version, user=user):
        for f in change.fields:
            lines.append(
                gettext("%(field)s: %(old)s → %(new)s (by %(user)s, %(when)s)")
                % {
                    "field": f.label,
                    "old": f.old_text,
                    "new": f.new_text,
                    "user": change.user_name,
                    "when": change.when_text,
                }
            )
    return lines


def reason_in_words(reason):
    """Return a stored change reason as the reader reads it: the tracker's own reasons (codes,
    see ChangeReason) translated, a reason a person typed as typed."""
    if reason in ChangeReason.values:
        return str(ChangeReason(reason).label)
    return reason or ""


def origin_in_words(origin):
    """Return a stored origin (see attribution.current_origin) as the reader reads it: "web
    192.0.2.7" as the website and the address, "command seed" as what the command does."""
    kind, _sep, rest = origin.partition(" ")
    if kind == "web":
        return (
            gettext("the website, from %(address)s") % {"address": rest}
            if rest
            else gettext("the website")
        )
    if kind == "command":
        if rest in COMMAND_ORIGINS:
            return str(COMMAND_ORIGINS[rest])
        return gettext("the server command “%(name)s”") % {"name": rest}
    if origin == "shell":
        return gettext("the server console")
    return origin


def readable_records(model, queryset, user):
    """Return the history records in `queryset` (of `model`) that `user` may read: the access
    rule of `models.readable_measures`/`readable_updates` for measures and progress updates;
    a letter's text replacing a measure's paragraph as the measure; the other models have no
    confidential records."""
    if model in (Measure, ProgressUpdate):
        return queryset.visible_to(user)
    if model is LetterPassage:
        return readable_passages(queryset, user)
    return queryset


def may_see_origin(user):
    """Return True if `user` may see where changes came from: the origin holds the client's
    address ("web 192.0.2.7"), personal data of staff, so coordinators only (and the system
    itself, `user` None, as in readable_measures)."""
    return user is None or is_coordinator(user)


def describe(pairs, *, user, records=None):
    """Turn (model, historical record) pairs that `user` may read into Change objects, in the
    given order.

    Records must carry `previous_history_id` (see with_previous). `records` ({(model,
    history_id): record}) may already hold the predecessors; those missing are read, one query
    per model. A predecessor `user` may not read (a version that was confidential) is left
    out: the record is then shown as the first version that user may read, every field with
    its value and none with the value before. Names of measures are those `user` may read. The
    many-to-many snapshots of all models are read in one query."""
    by_model = {}
    for model, record in pairs:
        by_model.setdefault(model, []).append(record)

    previous = dict(records or {})
    snapshot_ids = {}
    for model, model_records in by_model.items():
        wanted = {r.previous_history_id for r in model_records if r.previous_history_id}
        missing = {pk for pk in wanted if (model, pk) not in previous}
        if missing:
            for prev in readable_records(model, model.history.filter(history_id__in=missing), user):
                previous[(model, prev.history_id)] = prev
        if m2m_fields(model):
            snapshot_ids[model] = {r.history_id for r in model_records} | wanted
    snapshots = _m2m_snapshots(snapshot_ids)

    # First pass: raw changes with ids; collect the ids to name per related model.
    raw = []
    names = _Names(user)
    for model, record in pairs:
        prev = previous.get((model, record.previous_history_id))
        fields = _raw_field_changes(model, record, prev, snapshots, names)
        raw.append((model, record, fields))
        _note_object_names(model, record, names)
    names.load()

    show_origin = may_see_origin(user)
    changes = []
    for model, record, fields in raw:
        history_user = record.history_user
        organisation = user_organisation(history_user)
        changes.append(
            Change(
                record=record,
                model=model,
                kind=record.history_type,
                object_id=record.id,
                object_label=_object_label(model, record, names),
                date=record.history_date,
                user_name=display_name(history_user, gettext("unknown")),
                organisation_name=organisation.short_name if organisation else "",
                origin=record.history_origin if show_origin else "",
                reason=reason_in_words(record.history_change_reason),
                measure_id=_measure_id(model, record),
                fields=[_in_words(change, names) for change in fields],
            )
        )
    return changes


def _m2m_snapshots(history_ids_by_model):
    """Return {(model, m2m name): {history_id: {target ids}}} for the given records, in one
    UNION ALL query over the many-to-many history tables."""
    parts, keys = [], []
    for model, history_ids in history_ids_by_model.items():
        for m2m in m2m_fields(model):
            target = m2m_target_attname(m2m)
            parts.append(
                m2m_history_model(model, m2m)
                .objects.filter(history_id__in=history_ids)
                .annotate(part=Value(len(keys), output_field=models.IntegerField()))
                .values_list("part", "history_id", f"{target}_id")
                .order_by()
            )
            keys.append((model, m2m.name, history_ids))
    snapshots = {(model, name): {hid: set() for hid in ids} for model, name, ids in keys}
    if not parts:
        return snapshots
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    for part, history_id, target_id in union:
        model, name, _ = keys[part]
        snapshots[(model, name)][history_id].add(target_id)
    return snapshots


def _measure_id(model, record):
    if model._meta.model_name == "measure":
        return record.id
    if model is LetterPassage:
        return None  # about a letter; the measure it may replace a paragraph of is its target
    return getattr(record, "measure_id", None)


# --- Field changes --------------------------------------------------------------------------


def _raw_field_changes(model, record, prev, snapshots, names):
    """Return [(model field, old value, new value, added ids, removed ids)] for one record."""
    m2m_list = m2m_fields(model)
    result = []
    if record.history_type == "-":
        return result
    if record.history_type == "+" or prev is None:
        for f in plain_fields(model):
            value = getattr(record, f.attname)
            if value not in (None, ""):
                result.append((f, None, value, None, None))
                names.want(f, value)
        for m2m in m2m_list:
            now = snapshots[(model, m2m.name)].get(record.history_id, set())
            if now:
                result.append((m2m, None, None, sorted(now), []))
                names.want_many(m2m, now)
        return result

    skipped = SKIPPED_FIELDS | {m.name for m in m2m_list}
    delta = record.diff_against(prev, excluded_fields=skipped, foreign_keys_are_objs=False)
    order = {f.name: i for i, f in enumerate(model._meta.concrete_fields)}
    for change in sorted(delta.changes, key=lambda c: order.get(c.field, 0)):
        f = model._meta.get_field(change.field)
        result.append((f, change.old, change.new, None, None))
        names.want(f, change.old)
        names.want(f, change.new)
    for m2m in m2m_list:
        snapshot = snapshots[(model, m2m.name)]
        old = snapshot.get(prev.history_id, set())
        new = snapshot.get(record.history_id, set())
        if old != new:
            result.append((m2m, None, None, sorted(new - old), sorted(old - new)))
            names.want_many(m2m, new ^ old)
    return result


def _in_words(raw_change, names):
    f, old, new, added, removed = raw_change
    if added is not None:
        return FieldChange(
            name=f.name,
            label=str(f.verbose_name),
            added=[names.name(f.related_model, pk) for pk in added],
            removed=[names.name(f.related_model, pk) for pk in removed],
        )
    return FieldChange(
        name=f.name,
        label=str(f.verbose_name),
        old_text=value_in_words(f, old, names),
        new_text=value_in_words(f, new, names),
    )


def value_in_words(f, value, names=None):
    """Return a field's value as a reader sees it: a choice label, a name, a Dutch date."""
    if f.name == "quarter" and value in (0, 1, 2, 3, 4):  # IndicatorValue's: 0 is the year
        return gettext("Whole year") if value == 0 else gettext("Quarter %(q)d") % {"q": value}
    if f.choices:
        labels = dict(f.flatchoices)
        if value in labels:
            return str(labels[value])
    if value is None or value == "":
        return "—"
    if isinstance(f, models.ForeignKey):
        return names.name(f.related_model, value) if names else f"#{value}"
    if isinstance(f, models.BooleanField):
        return gettext("yes") if value else gettext("no")
    if isinstance(f, models.DateTimeField):
        if isinstance(value, str):
            value = datetime.datetime.fromisoformat(value)
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{date_nl(local)} {local:%H:%M}"
    if isinstance(f, models.DateField):
        if isinstance(value, str):
            value = datetime.date.fromisoformat(value)
        return date_nl(value)
    if isinstance(f, models.DecimalField):
        text = number_nl(value)
        return f"€ {text}" if f.name.endswith("_eur") else text
    return str(value)


# --- Names for ids, one query per related model ------------------------------------------------


class _Names:
    """Collect ids per related model, then name them all with one query per model."""

    def __init__(self, user):
        self.user = user
        self.wanted = {}
        self.loaded = {}

    def want(self, f, value):
        if isinstance(f, models.ForeignKey) and value not in (None, ""):
            self.wanted.setdefault(f.related_model, set()).add(value)

    def want_many(self, m2m, ids):
        self.wanted.setdefault(m2m.related_model, set()).update(ids)

    def want_id(self, model, pk):
        if pk is not None:
            self.wanted.setdefault(model, set()).add(pk)

    def load(self):
        user_model = apps.get_model(settings.AUTH_USER_MODEL)
        for model, ids in self.wanted.items():
            ids = {int(pk) for pk in ids}
            if model is user_model:
                rows = model.objects.filter(pk__in=ids)
                named = {u.pk: display_name(u, gettext("unknown")) for u in rows}
            elif model._meta.model_name == "measure":
                rows = model.objects.filter(pk__in=ids).visible_to(self.user)
                named = {m.pk: str(m) for m in rows.only("code", "title")}
            else:
                named = {
                    obj.pk: _plain_name(obj) for obj in model._default_manager.filter(pk__in=ids)
                }
            self.loaded[model] = named

    def name(self, model, pk):
        if pk is None:
            return "—"
        named = self.loaded.get(model, {})
        return named.get(int(pk)) or gettext("%(model)s no. %(id)s (deleted or hidden)") % {
            "model": model._meta.verbose_name,
            "id": pk,
        }


def _plain_name(obj):
    """A name that needs no further query (unlike some __str__ methods)."""
    for attname in ("title", "name"):
        value = getattr(obj, attname, None)
        if value:
            return str(value)
    return str(obj)


def _note_object_names(model, record, names):
    if model is not Measure and hasattr(record, "measure_id"):
        names.want_id(Measure, record.measure_id)
    if model._meta.model_name == "profile":
        names.want_id(apps.get_model(settings.AUTH_USER_MODEL), record.user_id)
    if model._meta.model_name == "indicatorvalue":
        names.want_id(apps.get_model("measures", "Indicator"), record.indicator_id)
    if model is LetterPassage:
        names.want_id(ProgressLetter, record.letter_id)
    if model._meta.model_name == "commitmentlink":
        names.want_id(apps.get_model("measures", "Commitment"), record.source_id)
        names.want_id(apps.get_model("measures", "Commitment"), record.target_id)


def _object_label(model, record, names):
    """Name the changed object from the record itself and the preloaded names."""
    name = model._meta.model_name
    if name == "measure":
        return f"{record.code} {record.title}".strip()
    if name == "progressupdate":
        return gettext("Progress of %(date)s on %(measure)s") % {
            "date": date_nl(record.date),
            "measure": names.name(Measure, record.measure_id),
        }
    if name == "profile":
        return names.name(apps.get_model(settings.AUTH_USER_MODEL), record.user_id)
    if name == "indicatorvalue":
        indicator = names.name(apps.get_model("measures", "Indicator"), record.indicator_id)
        period = f"Q{record.quarter} {record.year}" if record.quarter else str(record.year)
        return f"{indicator} – {period}"
    if name == "commitmentlink":
        commitment = apps.get_model("measures", "Commitment")
        source, target = (
            names.name(commitment, record.source_id),
            names.name(commitment, record.target_id),
        )
        return f"{source} → {target}"
    if name == "commitment":
        return f"{record.number} {record.title}".strip()
    if name == "progressletter":
        return f"{record.title} ({date_nl(record.date)})"
    if model is LetterPassage:
        return gettext("%(place)s in %(letter)s") % {
            "place": record.get_place_display(),
            "letter": names.name(ProgressLetter, record.letter_id),
        }
    return (
        _plain_name(record)
        if (getattr(record, "title", "") or getattr(record, "name", ""))
        else f"#{record.id}"
    )


# --- The feed and the history of one measure ---------------------------------------------------


def measure_history_querysets(measure, user):
    """Return the history querysets that make up one measure's history: its own versions
    (partners and countries included) and those of its progress updates, those `user` may
    read."""
    return {
        Measure: Measure.history.filter(id=measure.pk).visible_to(user),
        ProgressUpdate: ProgressUpdate.history.filter(measure_id=measure.pk).visible_to(user),
    }


def letter_history_querysets(letter, user):
    """Return the history querysets that make up one letter's history: its own versions and
    those of its texts (`LetterPassage`), those `user` may read."""
    return {
        ProgressLetter: ProgressLetter.history.filter(id=letter.pk),
        LetterPassage: readable_records(
            LetterPassage, LetterPassage.history.filter(letter_id=letter.pk), user
        ),
    }


def feed_querysets(
    user, *, kind=None, history_user=None, organisation=None, measure=None, start=None, end=None
):
    """Return the history querysets of the change feed, filtered, holding only the records
    `user` may read (`readable_records`)."""
    querysets = {}
    for model in tracked_models():
        if kind and model._meta.model_name != kind:
            continue
        if measure is not None and model not in (Measure, ProgressUpdate):
            continue
        queryset = readable_records(model, model.history.all(), user)
        if measure is not None:
            field = "id" if model is Measure else "measure_id"
            queryset = queryset.filter(**{field: measure.pk})
        if history_user is not None:
            queryset = queryset.filter(history_user=history_user)
        if organisation is not None:
            queryset = queryset.filter(history_user__profile__organisation=organisation)
        if start is not None:
            queryset = queryset.filter(history_date__gte=end_of_day(start - datetime.timedelta(1)))
        if end is not None:
            queryset = queryset.filter(history_date__lte=end_of_day(end))
        querysets[model] = queryset
    return querysets


def snapshot_in_words(record, *, user):
    """Return [(label, value in words)] for every field of one historical Measure record, as the
    measure stood then (partners and countries by name; a measure it was part of only when
    `user` may read it). A handful of queries."""
    model = record.instance_type
    names = _Names(user)
    values = []
    for f in plain_fields(model):
        names.want(f, getattr(record, f.attname))
    members = {}
    for m2m in m2m_fields(model):
        target = m2m_target_attname(m2m)
        ids = set(
            m2m_history_model(model, m2m)
            .objects.filter(history_id=record.history_id)
            .values_list(f"{target}_id", flat=True)
        )
        members[m2m] = ids
        names.want_many(m2m, ids)
    names.load()
    for f in plain_fields(model):
        values.append((str(f.verbose_name), value_in_words(f, getattr(record, f.attname), names)))
    for m2m, ids in members.items():
        text = ", ".join(sorted(names.name(m2m.related_model, pk) for pk in ids)) or "—"
        values.append((str(m2m.verbose_name), text))
    return values
