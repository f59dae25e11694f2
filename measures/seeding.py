"""
Replay the seed letters (`fixtures/seed_letters.json`) into the database.

The fixture holds one entry per letter with what that letter reports: organisations, countries,
themes, plans with their action lines, measures, progress on measures, commitments and motions
(and which letter answered them), indicators and their figures. The replay walks the letters in
date order and saves every object one by one, so django-simple-history writes a record for each
change, dated at the letter: noon (Europe/Amsterdam) of the letter's date, plus one second per
write; the letter is marked as sent after its last write. Read as known when it was sent
(`asof.records_at(model, letter.known_at)`), the programme is as that letter described it, and no
two records of one object share a timestamp (`as_of()` would duplicate it).

That is record time. Valid time comes from the fixture too: a measure joins the programme on its
`joined_on`, a progress update is dated at its `date` and a status takes effect on its
`status_since` (else on the update's date); where the letters give no day, the letter's own date
stands in, marked estimated (the fixture's "about" gives the reading rules).

Running the replay again changes nothing. Rows are found by their natural keys (letter date and
kind, organisation name or a former name, plan title, measure plan and title, commitment title,
indicator name with year, quarter and breakdown). A row that already carries this letter's state,
or a later letter's, is left alone; any other row is written only when a field differs.
"""

import datetime
import json
import zoneinfo
from collections import Counter
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from .locking import Versioned
from .models import (
    ActionLine,
    ChangeReason,
    Commitment,
    CommitmentLink,
    Country,
    Document,
    DocumentLink,
    Indicator,
    IndicatorValue,
    LetterPassage,
    Measure,
    MeasureEvent,
    MeasureLink,
    Organisation,
    OrganisationName,
    PassagePlace,
    Plan,
    ProgressLetter,
    ProgressUpdate,
    Theme,
)

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "seed_letters.json"
AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
LETTER_HOUR = datetime.time(12)

DATE_FIELDS = {
    "joined_on",
    "status_since",
    "date",
    "period_start",
    "period_end",
    "start",
    "end",
    "start_date",
    "due_date",
    "completed_date",
    "made_on",
    "used_until",
}
DECIMAL_FIELDS = {"budget_eur", "target", "realised", "base_value", "target_change"}


def load_fixture(path=FIXTURE):
    with open(path, encoding="utf-8") as fixture:
        return json.load(fixture)


def seed_letters(*, by, data=None):
    """Replay every letter of the seed fixture as `by`; return counts of rows written per model."""
    replay = Replay(data or load_fixture(), by=by)
    replay.run()
    return replay.written


def letter_moment(day):
    """Return the moment a letter's changes are dated at: noon, Amsterdam time, on `day`."""
    return datetime.datetime.combine(day, LETTER_HOUR, tzinfo=AMSTERDAM)


def _value(name, raw):
    """Convert a fixture value to the Python type of the field it fills."""
    if raw is None:
        return None
    if name in DATE_FIELDS:
        return datetime.date.fromisoformat(raw)
    if name in DECIMAL_FIELDS:
        return Decimal(str(raw))
    return raw


def _plain(entry, names):
    """Return the fields among `names` that `entry` states, converted."""
    return {name: _value(name, entry[name]) for name in names if name in entry}


class Replay:
    """One run over the fixture: resolves keys to rows and writes each letter's state."""

    def __init__(self, data, *, by):
        self.data = data
        self.by = by
        self.written = Counter()
        self.letters = {}
        self.themes = {}
        self.organisations = {}
        self.countries = {}
        self.plans = {}
        self.measures = {}
        self.commitments = {}
        self.indicators = {}
        self.organisation_names = self._organisation_names(data)

    @staticmethod
    def _organisation_names(data):
        """Return every name an organisation key carries anywhere in the fixture."""
        names = {}
        for letter in data["letters"]:
            for entry in letter.get("organisations", []):
                known = names.setdefault(entry["key"], set())
                known.add(entry["name"])
                known.update(entry.get("formerly", []))
        return names

    # --- the clock and the writes -------------------------------------------------------------

    def run(self):
        for entry in sorted(self.data["letters"], key=lambda letter: letter["date"]):
            self.replay_letter(entry)

    def tick(self):
        """Return the next moment of the current letter: one second after the previous write."""
        self.seconds += 1
        return self.moment + datetime.timedelta(seconds=self.seconds)

    def is_current(self, obj):
        """Return True if `obj` already carries this letter's state or a later letter's."""
        return obj.history.filter(history_date__gte=self.moment).exists()

    def save(self, obj, reason):
        """Save `obj` as this letter's next write: a tracked model through its `save_change`
        (the one write path, which validates it in full), any other after its field checks."""
        if isinstance(obj, Versioned):
            obj.save_change(by=self.by, reason=reason[:100], history_date=self.tick())
        else:
            obj._history_date = self.tick()
            obj._history_user = self.by
            obj._change_reason = reason[:100]
            obj.full_clean(validate_unique=False, validate_constraints=False)
            obj.save()
            del obj._history_date
        self.written[type(obj).__name__] += 1

    def upsert(self, model, lookup, fields, *, create_only=None):
        """Return the row found by `lookup`, created or brought up to date with `fields`.

        `create_only` holds fields written when the row is created and never changed later
        (such as the letter that first reported it).
        """
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **fields, **(create_only or {}))
            self.save(obj, ChangeReason.SEED_CREATED)
            return obj
        if self.is_current(obj):
            return obj
        changed = {name: value for name, value in fields.items() if getattr(obj, name) != value}
        if changed:
            for name, value in changed.items():
                setattr(obj, name, value)
            self.save(obj, ChangeReason.SEED_UPDATED)
        return obj

    def set_m2m(self, obj, field, targets):
        """Make the many-to-many `field` of `obj` hold `targets`, one dated record per change."""
        manager = getattr(obj, field)
        current = set(manager.all())
        targets = set(targets)
        for method, rows in (("remove", current - targets), ("add", targets - current)):
            if rows:
                obj._history_date = self.tick()
                obj._history_user = self.by
                obj._change_reason = ChangeReason.SEED_LINKS
                getattr(manager, method)(*rows)
                del obj._history_date
                self.written[f"{type(obj).__name__}.{field}"] += 1

    # --- one letter -----------------------------------------------------------------------------

    def replay_letter(self, entry):
        self.moment = letter_moment(datetime.date.fromisoformat(entry["date"]))
        self.seconds = 0
        self.letter = self.add_letter(entry, send=False)
        self.letters[entry["key"]] = self.letter
        for referenced in entry.get("referenced_letters", []):
            self.letters[referenced["key"]] = self.add_letter(referenced)
        for theme in entry.get("themes", []):
            self.add_theme(theme)
        for organisation in entry.get("organisations", []):
            self.add_organisation(organisation)
        for country in entry.get("countries", []):
            self.add_country(country)
        for plan in entry.get("plans", []):
            self.add_plan(plan)
        for measure in entry.get("measures", []):
            self.add_measure(measure)
        for progress in entry.get("progress", []):
            self.add_progress(progress)
        for commitment in entry.get("commitments", []):
            self.add_commitment(commitment)
        for fulfilment in entry.get("fulfilments", []):
            self.fulfil(fulfilment)
        for link in entry.get("commitment_links", []):
            self.add_commitment_link(link)
        for indicator in entry.get("indicators", []):
            self.add_indicator(indicator)
        for value in entry.get("values", []):
            self.add_value(value)
        for document in entry.get("documents", []):
            self.add_document(document)
        for event in entry.get("events", []):
            self.add_event(event)
        for link in entry.get("measure_links", []):
            self.add_measure_link(link)
        # Sent when everything it states is recorded: a sent letter is what was known then.
        self.send(self.letter, at=self.tick())

    def send(self, letter, *, at):
        if not letter.is_sent:
            letter.mark_sent(by=self.by, at=at, history_date=at)
            self.written["ProgressLetter.sent"] += 1

    def add_letter(self, entry, *, send=True):
        date = _value("date", entry["date"])
        fields = _plain(
            entry,
            [
                "date_is_estimated",
                "title",
                "period_start",
                "period_end",
                "kamerstuk",
                "signed_by",
                "signed_title",
                "source_file",
            ],
        )
        letter = ProgressLetter.objects.filter(date=date, kind=entry["kind"]).first()
        if letter is None:
            letter = ProgressLetter(date=date, kind=entry["kind"], **fields)
            self.save(letter, ChangeReason.SEED_CREATED)
        elif not self.is_current(letter):
            changed = {k: v for k, v in fields.items() if getattr(letter, k) != v}
            if changed:
                for name, value in changed.items():
                    setattr(letter, name, value)
                self.save(letter, ChangeReason.SEED_UPDATED)
        if entry.get("opening") and not letter.is_sent:  # the letter's own opening words
            self.upsert(
                LetterPassage,
                {"letter": letter, "place": PassagePlace.OPENING},
                {"text": entry["opening"]},
            )
        if send:  # a letter the one being replayed refers to: sent on its own date
            self.send(letter, at=letter_moment(date))
        return letter

    def add_theme(self, entry):
        fields = _plain(entry, ["name", "name_en", "order"])
        self.themes[entry["code"]] = self.upsert(Theme, {"code": entry["code"]}, fields)

    def add_organisation(self, entry):
        names = self.organisation_names[entry["key"]]
        fields = _plain(entry, ["name", "abbreviation", "kind", "country"])
        fields["parent"] = self.organisations[entry["parent"]] if entry.get("parent") else None
        obj = Organisation.objects.filter(name__in=names).first()
        lookup = {"pk": obj.pk} if obj else {"name": fields.pop("name")}
        organisation = self.upsert(Organisation, lookup, fields)
        self.organisations[entry["key"]] = organisation
        for former in entry.get("former_names", []):
            self.upsert(
                OrganisationName,
                {
                    "organisation": organisation,
                    "used_until": _value("used_until", former["used_until"]),
                },
                _plain(former, ["name", "abbreviation"]),
            )

    def add_country(self, entry):
        fields = _plain(entry, ["name", "name_en"])
        self.countries[entry["code"]] = self.upsert(Country, {"code": entry["code"]}, fields)

    def add_plan(self, entry):
        fields = _plain(
            entry,
            ["short_title", "kind", "description", "start", "end", "source_reference"],
        )
        if "owner" in entry:
            fields["owner"] = self.organisations[entry["owner"]] if entry["owner"] else None
        if "predecessor" in entry:
            fields["predecessor"] = self.plans[entry["predecessor"]]
        existing = self.plans.get(entry["key"])
        lookup = {"pk": existing.pk} if existing else {"title": entry["title"]}
        plan = self.upsert(Plan, lookup, fields, create_only={"source_letter": self.letter})
        self.plans[entry["key"]] = plan
        if "themes" in entry and not self.written_by_later_letter(plan):
            self.set_m2m(plan, "themes", [self.themes[code] for code in entry["themes"]])
        for order, name in enumerate(entry.get("action_lines", []), start=1):
            self.upsert(ActionLine, {"plan": plan, "name": name}, {"order": order})

    def written_by_later_letter(self, obj):
        """Return True if a later letter than this one already wrote `obj` (so its many-to-many
        fields hold that letter's state and stay)."""
        return obj.history.filter(
            history_date__gte=self.moment + datetime.timedelta(days=1)
        ).exists()

    def add_measure(self, entry):
        existing = self.measures.get(entry["key"])
        fields = _plain(
            entry,
            [
                "code",
                "description",
                "joined_on",
                "joined_on_is_estimated",
                "start_date",
                "due_date",
                "budget_eur",
                "source_reference",
                "visibility",
            ],
        )
        for name, registry in (
            ("owner", self.organisations),
            ("funder", self.organisations),
            ("parent", self.measures),
        ):
            if name in entry:
                fields[name] = registry[entry[name]] if entry[name] else None
        if "theme" in entry:
            fields["theme"] = self.themes[entry["theme"]]
        if existing is None:
            plan = self.plans[entry["plan"]]
            fields["action_line"] = (
                plan.action_lines.get(name=entry["action_line"])
                if entry.get("action_line")
                else None
            )
            measure = Measure.objects.filter(plan=plan, title=entry["title"]).first()
        else:
            measure = existing
        if measure is None:
            # Valid time: the day the letters say the measure joined (estimated where they give
            # only a rough time), else the letter's own date, marked as an estimate. Its first
            # status ("not stated") takes effect that day, estimated alike.
            fields.setdefault("joined_on", self.letter.date)
            fields.setdefault("joined_on_is_estimated", "joined_on" not in entry)
            fields["status_since_is_estimated"] = fields["joined_on_is_estimated"]
            before = {**fields, **_plain(entry.get("as_previously_reported", {}), fields)}
            measure = Measure(plan=plan, title=entry["title"], source_letter=self.letter, **before)
            self.save(measure, ChangeReason.SEED_CREATED)
            self.measures[entry["key"]] = measure
            self.measure_m2m(measure, entry)
            if before != fields:
                for name, value in fields.items():
                    setattr(measure, name, value)
                self.save(measure, entry.get("change_reason", ChangeReason.SEED_UPDATED))
            return
        self.measures[entry["key"]] = measure
        if self.is_current(measure):
            return
        measure = self.upsert(Measure, {"pk": measure.pk}, fields)
        self.measures[entry["key"]] = measure
        self.measure_m2m(measure, entry)

    def measure_m2m(self, measure, entry):
        if "partners" in entry:
            partners = [self.organisations[key] for key in entry["partners"]]
            self.set_m2m(measure, "partners", partners)
        if "countries" in entry:
            countries = [self.countries[code] for code in entry["countries"]]
            self.set_m2m(measure, "countries", countries)

    def add_progress(self, entry):
        measure = self.measures[entry["measure"]]
        if ProgressUpdate.objects.filter(measure=measure, source_letter=self.letter).exists():
            return
        measure.refresh_from_db()
        # Valid time: the day the letter states for what the update reports, else the letter's
        # own date, marked as an estimate. The status takes effect on the update's date unless
        # the entry says since when it holds (`status_since`).
        date = _value("date", entry.get("date")) or self.letter.date
        estimated = entry.get("date_is_estimated", "date" not in entry)
        status = entry.get("status") or None
        if status and "status_since" in entry and status != measure.status:
            measure.set_status(
                status,
                by=self.by,
                on=_value("status_since", entry["status_since"]),
                date_is_estimated=entry.get("status_since_is_estimated", False),
                reason=ChangeReason.SEED_STATUS,
                history_date=self.tick(),
            )
        measure.log_progress(
            by=self.by,
            date=date,
            date_is_estimated=estimated,
            text=entry["text"],
            next_steps=entry.get("next_steps", ""),
            status=status,
            approved=True,
            source_letter=self.letter,
            history_date=self.tick(),
        )
        self.written["ProgressUpdate"] += 1

    def add_commitment(self, entry):
        fields = _plain(
            entry,
            [
                "kind",
                "number",
                "text",
                "made_by",
                "made_at_kind",
                "made_at",
                "made_on",
                "kamerstuk",
                "to_whom",
                "deadline_text",
                "due_date",
            ],
        )
        if "made_in_letter" in entry:
            fields["made_in_letter"] = self.letters[entry["made_in_letter"]]
        commitment = self.upsert(
            Commitment,
            {"title": entry["title"]},
            fields,
            create_only={"source_letter": self.letter},
        )
        self.commitments[entry["key"]] = commitment
        if "measures" in entry and not self.written_by_later_letter(commitment):
            measures = [self.measures[key] for key in entry["measures"]]
            self.set_m2m(commitment, "measures", measures)

    def commitment(self, key):
        if key not in self.commitments:
            raise KeyError(f"Commitment {key!r} is answered before it is made in the fixture.")
        return self.commitments[key]

    def fulfil(self, entry):
        commitment = self.commitment(entry["commitment"])
        if commitment.status != "open":
            return
        commitment.fulfil(
            by=self.by,
            letter=self.letters[entry.get("letter", "")] if entry.get("letter") else self.letter,
            status=entry.get("status", "fulfilled"),
            note=entry.get("note", ""),
            history_date=self.tick(),
        )
        self.written["Commitment.fulfilled"] += 1

    def add_commitment_link(self, entry):
        self.upsert(
            CommitmentLink,
            {
                "source": self.commitment(entry["source"]),
                "target": self.commitment(entry["target"]),
            },
            {"kind": entry["kind"]},
        )

    def add_indicator(self, entry):
        fields = _plain(
            entry,
            [
                "description",
                "unit",
                "default_source",
                "order",
                "base_year",
                "base_value",
                "target_year",
                "target_change",
                "target_change_unit",
            ],
        )
        fields["theme"] = self.themes[entry["theme"]]
        if "plan" in entry:
            fields["plan"] = self.plans[entry["plan"]] if entry["plan"] else None
        if "owner" in entry:
            fields["owner"] = self.organisations[entry["owner"]] if entry["owner"] else None
        self.indicators[entry["name"]] = self.upsert(Indicator, {"name": entry["name"]}, fields)

    def add_value(self, entry):
        indicator = self.indicators.get(entry["indicator"]) or Indicator.objects.get(
            name=entry["indicator"]
        )
        lookup = {
            "indicator": indicator,
            "year": entry["year"],
            "quarter": entry.get("quarter", 0),
            "breakdown": entry.get("breakdown", ""),
        }
        fields = _plain(entry, ["target", "realised", "status", "source", "note"])
        value = IndicatorValue.objects.filter(**lookup).first()
        if (
            value is not None
            and not self.is_current(value)
            and any(getattr(value, name) != wanted for name, wanted in fields.items())
        ):
            fields["source_letter"] = self.letter
        self.upsert(IndicatorValue, lookup, fields, create_only={"source_letter": self.letter})

    # --- documents, events and links between measures -----------------------------------------

    LINKED = {
        "measures": ("measure", "measures"),
        "plans": ("plan", "plans"),
        "commitments": ("commitment", "commitments"),
        "letters": ("letter", "letters"),
    }

    def add_document(self, entry):
        """A document the letter names (found again by its dossier and number, or its kind and
        title), and the measures, plans, commitments and letters it is linked to. Links are only
        added: a later letter that names a document again adds what it links it to."""
        fields = _plain(entry, ["title", "date", "date_is_estimated", "dossier", "number", "url"])
        if "organisation" in entry:
            fields["organisation"] = self.organisations[entry["organisation"]]
        natural = ("dossier", "number") if entry.get("dossier") else ("title",)
        lookup = {"kind": entry["kind"], **{name: fields.pop(name) for name in natural}}
        document = self.upsert(Document, lookup, fields)
        for key, (target, registry) in self.LINKED.items():
            for name in entry.get(key, []):
                obj = getattr(self, registry)[name]
                if not DocumentLink.objects.filter(document=document, **{target: obj}).exists():
                    link = DocumentLink(document=document, **{target: obj})
                    link.record(by=self.by, history_date=self.tick())
                    self.written["DocumentLink"] += 1

    def add_event(self, entry):
        measure = self.measures[entry["measure"]]
        date = _value("date", entry["date"])
        fields = _plain(entry, ["date_is_estimated"])
        self.upsert(
            MeasureEvent,
            {"measure": measure, "date": date, "text": entry["text"]},
            fields,
            create_only={"source_letter": self.letter},
        )

    def add_measure_link(self, entry):
        self.upsert(
            MeasureLink,
            {"source": self.measures[entry["from"]], "target": self.measures[entry["to"]]},
            {"kind": entry["kind"]},
        )
