"""
Synthetic data shaped like the seed data, at any scale, for the benchmark.

`generate(n_measures)` fills an empty, migrated database with organisations, themes, plans with
three action lines each, `n_measures` measures (partners, countries), about ten progress updates
and five history versions per measure, commitments, indicators with yearly and quarterly figures
and a few sent progress letters. Everything is written in bulk; the history is written as rows
too (simple-history's `bulk_history_create` with an explicit date and user per record, origin
"bench"), so no two records of one object share a `history_date` and every record has a user.

The data is deterministic for a given scale, seed and `today`.
"""

import datetime
import random
from contextlib import contextmanager
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

from measures.access import CONTRIBUTOR, COORDINATOR, ensure_roles
from measures.attribution import get_system_user
from measures.models import (
    ActionLine,
    Commitment,
    CommitmentKind,
    CommitmentLink,
    CommitmentLinkKind,
    CommitmentStatus,
    Country,
    Indicator,
    IndicatorUnit,
    IndicatorValue,
    LetterPassage,
    LetterStatus,
    Measure,
    MeasureStatus,
    Organisation,
    OrganisationKind,
    PassagePlace,
    Plan,
    PlanKind,
    Profile,
    ProgressLetter,
    ProgressUpdate,
    Theme,
    UpdateState,
    ValueStatus,
    Visibility,
)

# Bump when the shape of the generated data changes: cached benchmark databases are rebuilt.
GENERATOR_VERSION = 2
ORIGIN = "bench"
BATCH = 2000

# A word that occurs in about one title in twelve, for the searched list.
SEARCH_WORD = "reizigers"

COORDINATOR_USERNAME = "bench-coordinator"
ADMIN_USERNAME = "bench-admin"

THEMES = [
    ("kp", "Kinderpornografie", "Child sexual abuse material"),
    ("kst", "Kindersekstoerisme", "Child sex tourism"),
    ("zeden", "Zedenzaken", "Sexual offences"),
]

# (name, abbreviation, kind, parent name)
ORGANISATIONS = [
    ("Ministerie van Justitie en Veiligheid", "JenV", OrganisationKind.MINISTRY, None),
    ("Ministerie van Buitenlandse Zaken", "BZ", OrganisationKind.MINISTRY, None),
    ("Ministerie van Volksgezondheid, Welzijn en Sport", "VWS", OrganisationKind.MINISTRY, None),
    ("Ministerie van Onderwijs, Cultuur en Wetenschap", "OCW", OrganisationKind.MINISTRY, None),
    ("Ministerie van Economische Zaken", "EZ", OrganisationKind.MINISTRY, None),
    ("Nationale Politie", "Politie", OrganisationKind.POLICE, None),
    ("Landelijke Eenheid", "LE", OrganisationKind.POLICE, "Nationale Politie"),
    (
        "Team Bestrijding Kinderpornografie en Kindersekstoerisme",
        "TBKK",
        OrganisationKind.POLICE,
        "Landelijke Eenheid",
    ),
    ("Eenheid Amsterdam", "", OrganisationKind.POLICE, "Nationale Politie"),
    ("Eenheid Rotterdam", "", OrganisationKind.POLICE, "Nationale Politie"),
    ("Eenheid Oost-Nederland", "", OrganisationKind.POLICE, "Nationale Politie"),
    ("Openbaar Ministerie", "OM", OrganisationKind.PROSECUTION, None),
    ("Landelijk Parket", "LP", OrganisationKind.PROSECUTION, "Openbaar Ministerie"),
    ("Functioneel Parket", "FP", OrganisationKind.PROSECUTION, "Openbaar Ministerie"),
    ("Koninklijke Marechaussee", "KMar", OrganisationKind.MARECHAUSSEE, None),
    ("Raad voor de Kinderbescherming", "RvdK", OrganisationKind.PUBLIC, None),
    ("Reclassering Nederland", "RN", OrganisationKind.PUBLIC, None),
    (
        "Nationaal Rapporteur Mensenhandel en Seksueel Geweld tegen Kinderen",
        "NRM",
        OrganisationKind.PUBLIC,
        None,
    ),
    ("Justitiële Informatiedienst", "Justid", OrganisationKind.PUBLIC, None),
    ("Expertisebureau Online Kindermisbruik", "EOKM", OrganisationKind.NGO, None),
    ("Terre des Hommes Nederland", "TdH", OrganisationKind.NGO, None),
    ("Defence for Children", "DCI", OrganisationKind.NGO, None),
    ("Stop it Now!", "", OrganisationKind.NGO, None),
    ("Fier", "", OrganisationKind.NGO, None),
    ("Vereniging ANVR", "ANVR", OrganisationKind.PRIVATE, None),
    ("NLconnect", "", OrganisationKind.PRIVATE, None),
    ("Nederlandse Vereniging van Banken", "NVB", OrganisationKind.PRIVATE, None),
    ("Europol", "", OrganisationKind.INTERNATIONAL, None),
    ("Interpol", "", OrganisationKind.INTERNATIONAL, None),
    ("Raad van Europa", "RvE", OrganisationKind.INTERNATIONAL, None),
    ("Tweede Kamer der Staten-Generaal", "TK", OrganisationKind.PARLIAMENT, None),
]

# The organisations that own measures, most often the first ones.
OWNER_WEIGHTS = {
    "JenV": 20,
    "Politie": 10,
    "TBKK": 12,
    "LE": 4,
    "OM": 10,
    "LP": 3,
    "KMar": 6,
    "BZ": 6,
    "VWS": 4,
    "OCW": 3,
    "RvdK": 3,
    "EOKM": 5,
    "TdH": 3,
    "ANVR": 2,
}

COUNTRIES = [
    ("Thailand", "Thailand", "TH"),
    ("Filipijnen", "Philippines", "PH"),
    ("Cambodja", "Cambodia", "KH"),
    ("Vietnam", "Vietnam", "VN"),
    ("Indonesië", "Indonesia", "ID"),
    ("India", "India", "IN"),
    ("Brazilië", "Brazil", "BR"),
    ("Dominicaanse Republiek", "Dominican Republic", "DO"),
    ("Kenia", "Kenya", "KE"),
    ("Gambia", "Gambia", "GM"),
    ("Colombia", "Colombia", "CO"),
    ("Sri Lanka", "Sri Lanka", "LK"),
    ("Nepal", "Nepal", "NP"),
    ("Laos", "Laos", "LA"),
    ("Maleisië", "Malaysia", "MY"),
    ("Mexico", "Mexico", "MX"),
    ("Costa Rica", "Costa Rica", "CR"),
    ("Tanzania", "Tanzania", "TZ"),
    ("Marokko", "Morocco", "MA"),
    ("Oekraïne", "Ukraine", "UA"),
]

ACTION_LINES = ["Preventie", "Opsporing en vervolging", "Bescherming en hulpverlening"]
PLAN_TITLES = [
    "Plan van aanpak kindersekstoerisme",
    "Actieplan aanpak kinderpornografie",
    "Verbeterplan zedenketen",
    "Programma seksueel misbruik van kinderen",
    "Agenda online veiligheid van kinderen",
]
TITLE_HEADS = [
    "Voorlichting",
    "Handboek",
    "Opsporing",
    "Samenwerking",
    "Campagne",
    "Onderzoek",
    "Training",
    "Pilot",
    "Verbetering",
    "Monitoring",
    "Expertisecentrum",
    "Meldpunt",
    "Protocol",
    "Wetsvoorstel",
    "Convenant",
]
TITLE_TAILS = [
    "over kindersekstoerisme",
    f"voor {SEARCH_WORD}",
    "bij de politie",
    "in het onderwijs",
    "met de reisbranche",
    "tegen online misbruik",
    "voor slachtoffers",
    "voor daders",
    "in bronlanden",
    "met hostingbedrijven",
    "bij de marechaussee",
    "voor hulpverleners",
]
SENTENCES = [
    "De werkgroep is bijeengekomen en heeft de planning vastgesteld.",
    "Het conceptrapport is besproken met de ketenpartners.",
    "De eerste resultaten worden in het najaar verwacht.",
    "Er is vertraging opgelopen door capaciteitsgebrek.",
    "De pilot is in twee regio's gestart.",
    "De evaluatie is afgerond; de aanbevelingen worden uitgewerkt.",
    "Met de partners in het buitenland zijn afspraken gemaakt.",
    "De financiering voor het komende jaar is rond.",
]

# The final status of a measure, and how often it occurs.
FINAL_STATUSES = [
    (MeasureStatus.IN_PROGRESS, 40),
    (MeasureStatus.NOT_STARTED, 10),
    (MeasureStatus.DELAYED, 15),
    (MeasureStatus.COMPLETED, 20),
    (MeasureStatus.STOPPED, 5),
    (MeasureStatus.EMBEDDED, 5),
    (MeasureStatus.UNKNOWN, 5),
]
# The statuses a measure passes through before its final one.
STATUS_PATHS = {
    MeasureStatus.UNKNOWN: [],
    MeasureStatus.NOT_STARTED: [],
    MeasureStatus.IN_PROGRESS: [MeasureStatus.IN_PROGRESS],
    MeasureStatus.DELAYED: [MeasureStatus.IN_PROGRESS, MeasureStatus.DELAYED],
    MeasureStatus.COMPLETED: [MeasureStatus.IN_PROGRESS, MeasureStatus.COMPLETED],
    MeasureStatus.STOPPED: [MeasureStatus.IN_PROGRESS, MeasureStatus.STOPPED],
    MeasureStatus.EMBEDDED: [
        MeasureStatus.IN_PROGRESS,
        MeasureStatus.COMPLETED,
        MeasureStatus.EMBEDDED,
    ],
}
EDITS_PER_MEASURE = 4  # plus the creation: five history versions per measure


@contextmanager
def explicit_timestamps(*models):
    """Let the generator set `auto_now`/`auto_now_add` fields itself (dated history)."""
    saved = []
    for model in models:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                saved.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


class Generator:
    def __init__(self, n_measures, *, seed=1, today=None, log=None):
        self.n = n_measures
        self.random = random.Random(seed)
        self.today = today or timezone.localdate()
        self.log = log or (lambda message: None)
        self.tz = timezone.get_current_timezone()
        self.start = self.today - datetime.timedelta(days=3 * 365)

    # --- helpers ---------------------------------------------------------------------------

    def moment(self, day, minute=None):
        """Return an aware datetime on `day`, during office hours (or at `minute` after 8:00)."""
        minute = self.random.randrange(0, 9 * 60) if minute is None else minute
        return datetime.datetime.combine(day, datetime.time(8), tzinfo=self.tz) + (
            datetime.timedelta(minutes=minute, seconds=self.random.randrange(60))
        )

    def history(self, model, objects, *, update=False):
        """Write one history record per object; each object carries `_history_date` and
        `_history_user`."""
        model.history.bulk_history_create(
            objects,
            batch_size=BATCH,
            update=update,
            default_user=self.system,
            custom_historical_attrs={"history_origin": ORIGIN},
        )

    @staticmethod
    def through_columns(model, field_name):
        through = getattr(model, field_name).through
        source = next(f.attname for f in through._meta.fields if f.related_model is model)
        target = next(
            f.attname
            for f in through._meta.fields
            if f.is_relation and f.attname not in (source, "id")
        )
        return through, source, target

    def m2m(self, model, field_name, members):
        """Link `members[object id]` (related ids); return the through rows per object id."""
        through, source, target = self.through_columns(model, field_name)
        rows = [
            through(**{source: object_id, target: other})
            for object_id, others in members.items()
            for other in others
        ]
        through.objects.bulk_create(rows, batch_size=BATCH)
        by_object = {}
        for row in rows:
            by_object.setdefault(getattr(row, source), []).append(row)
        return by_object

    def m2m_history(self, model, field_name, records, rows):
        """Snapshot the many-to-many rows on each history record, as simple-history does:
        `rows[object id]` are the through rows of the object each record belongs to."""
        historical_through = HistoricalRecords.m2m_models[model._meta.get_field(field_name)]
        _through, source, target = self.through_columns(model, field_name)
        snapshot = [
            historical_through(
                id=row.pk,
                history_id=record.history_id,
                **{source: record.id, target: getattr(row, target)},
            )
            for record in records
            for row in rows.get(record.id, ())
        ]
        historical_through.objects.bulk_create(snapshot, batch_size=BATCH)

    def created(self, model, objects, dates, users=None):
        """Bulk-create `objects` and their creation records dated `dates`."""
        model.objects.bulk_create(objects, batch_size=BATCH)
        for index, (obj, date) in enumerate(zip(objects, dates, strict=True)):
            obj._history_date = date
            obj._history_user = users[index] if users else self.coordinator
        self.history(model, objects)
        return objects

    # --- the data --------------------------------------------------------------------------

    @transaction.atomic
    def run(self):
        with explicit_timestamps(Measure, ProgressUpdate):
            self.users_and_roles()
            self.reference_data()
            self.letters()
            self.plans()
            self.measures()
            self.updates()
            self.commitments()
            self.indicators()
        return counts()

    def users_and_roles(self):
        User = get_user_model()
        coordinator_group, contributor_group, viewer_group = ensure_roles()
        self.system = get_system_user()
        self.coordinator = User.objects.create_user(
            COORDINATOR_USERNAME, first_name="Coördinator", is_staff=True
        )
        self.coordinator.groups.add(coordinator_group)
        self.admin = User.objects.create_superuser(ADMIN_USERNAME, first_name="Beheerder")
        viewer = User.objects.create_user("bench-viewer", first_name="Lezer")
        viewer.groups.add(viewer_group)
        self.groups = {COORDINATOR: coordinator_group, CONTRIBUTOR: contributor_group}

    def reference_data(self):
        created = self.moment(self.start - datetime.timedelta(days=30))
        themes = [
            Theme(code=code, name=name, name_en=name_en, order=order)
            for order, (code, name, name_en) in enumerate(THEMES, start=1)
        ]
        self.themes = self.created(Theme, themes, [created] * len(themes))
        organisations = [
            Organisation(name=name, abbreviation=abbreviation, kind=kind)
            for name, abbreviation, kind, _parent in ORGANISATIONS
        ]
        self.created(Organisation, organisations, [created] * len(organisations))
        by_name = {o.name: o for o in organisations}
        children = []
        for name, _abbreviation, _kind, parent in ORGANISATIONS:
            if parent:
                child = by_name[name]
                child.parent = by_name[parent]
                child._history_date = created + datetime.timedelta(hours=1)
                child._history_user = self.coordinator
                children.append(child)
        Organisation.objects.bulk_update(children, ["parent"])
        self.history(Organisation, children, update=True)
        self.organisations = organisations
        self.by_abbreviation = {o.abbreviation: o for o in organisations if o.abbreviation}
        countries = [Country(name=n, name_en=e, code=c) for n, e, c in COUNTRIES]
        self.countries = self.created(Country, countries, [created] * len(countries))

        # One contributor for each organisation that owns measures; a profile for each.
        User = get_user_model()
        self.contributors = {}
        profiles = [Profile(user=self.coordinator, organisation=by_name[ORGANISATIONS[0][0]])]
        for abbreviation in OWNER_WEIGHTS:
            organisation = self.by_abbreviation[abbreviation]
            user = User.objects.create_user(
                f"bench-{abbreviation.lower()}", first_name=abbreviation
            )
            user.groups.add(self.groups[CONTRIBUTOR])
            self.contributors[organisation.pk] = user
            profiles.append(Profile(user=user, organisation=organisation))
        self.created(Profile, profiles, [created] * len(profiles))
        self.owner_choices = [self.by_abbreviation[a] for a in OWNER_WEIGHTS]
        self.owner_weights = list(OWNER_WEIGHTS.values())

    def letters(self):
        """Six sent progress letters, one every six months, and the next one in draft."""
        letters, dates = [], []
        for k in range(6, 0, -1):
            date = self.today - datetime.timedelta(days=182 * k - 20)
            letters.append(
                ProgressLetter(
                    date=date,
                    title=f"Voortgangsbrief aanpak kinderpornografie en kindersekstoerisme {k}",
                    period_start=date - datetime.timedelta(days=182),
                    period_end=date - datetime.timedelta(days=14),
                    kamerstuk=f"31 015, nr. {200 + 7 - k}",
                    signed_by="De Minister van Justitie en Veiligheid",
                )
            )
            dates.append(self.moment(date - datetime.timedelta(days=14)))
        draft_date = self.today + datetime.timedelta(days=30)
        letters.append(
            ProgressLetter(
                date=draft_date,
                title="Voortgangsbrief aanpak kinderpornografie en kindersekstoerisme (concept)",
                period_start=self.today - datetime.timedelta(days=150),
                period_end=self.today,
            )
        )
        dates.append(self.moment(self.today - datetime.timedelta(days=7)))
        self.created(ProgressLetter, letters, dates)
        sent = letters[:-1]
        # Each sent letter's own opening, written before it was sent.
        openings = [
            LetterPassage(
                letter=letter,
                place=PassagePlace.OPENING,
                text="Hierbij informeer ik uw Kamer over de voortgang.",
            )
            for letter in sent
        ]
        self.created(LetterPassage, openings, dates[:-1])
        for letter in sent:
            letter.status = LetterStatus.SENT
            letter.sent_at = self.moment(letter.date)
            letter.sent_by = self.coordinator
            letter._history_date = letter.sent_at
            letter._history_user = self.coordinator
            letter._change_reason = "marked as sent"
        ProgressLetter.objects.bulk_update(sent, ["status", "sent_at", "sent_by"])
        self.history(ProgressLetter, sent, update=True)
        self.sent_letters = sent

    def plans(self):
        n_plans = max(2, self.n // 100)
        plans, dates, themes = [], [], {}
        for k in range(n_plans):
            start = self.start + datetime.timedelta(days=self.random.randrange(0, 180))
            plans.append(
                Plan(
                    title=f"{PLAN_TITLES[k % len(PLAN_TITLES)]} {k + 1}",
                    short_title=f"Plan {k + 1}",
                    kind=self.random.choice(PlanKind.values),
                    owner=self.by_abbreviation["JenV"],
                    description="Een plan met drie actielijnen.",
                    start=start,
                    end=start + datetime.timedelta(days=4 * 365),
                )
            )
            dates.append(self.moment(start - datetime.timedelta(days=10)))
        self.created(Plan, plans, dates)
        for plan in plans:
            themes[plan.pk] = [t.pk for t in self.random.sample(self.themes, 2)]
        rows = self.m2m(Plan, "themes", themes)
        self.m2m_history(Plan, "themes", Plan.history.only("history_id", "id"), rows)
        lines, line_dates = [], []
        for plan, date in zip(plans, dates, strict=True):
            for order, name in enumerate(ACTION_LINES, start=1):
                lines.append(ActionLine(plan=plan, name=name, order=order))
                line_dates.append(date + datetime.timedelta(minutes=order))
        self.created(ActionLine, lines, line_dates)
        self.plans = plans
        self.plan_themes = themes
        self.lines = {
            plan.pk: [line for line in lines if line.plan_id == plan.pk] for plan in plans
        }
        self.themes_by_pk = {t.pk: t for t in self.themes}

    def measures(self):
        rnd = self.random
        statuses, weights = zip(*FINAL_STATUSES, strict=True)
        measures, versions = [], []
        days_available = (self.today - self.start).days - 180
        for i in range(self.n):
            plan = self.plans[i % len(self.plans)]
            line = rnd.choice(self.lines[plan.pk]) if rnd.random() > 0.05 else None
            owner = rnd.choices(self.owner_choices, self.owner_weights)[0]
            created_day = self.start + datetime.timedelta(days=rnd.randrange(days_available))
            created_at = self.moment(created_day)
            # Distinct, increasing moments for the four edits, between creation and today.
            span_minutes = int((self.moment(self.today, 0) - created_at).total_seconds() // 60)
            edit_minutes = sorted(rnd.sample(range(60, span_minutes), EDITS_PER_MEASURE))
            edit_moments = [created_at + datetime.timedelta(minutes=m) for m in edit_minutes]

            final_status = rnd.choices(statuses, weights)[0]
            path = STATUS_PATHS[final_status]
            status_slots = sorted(rnd.sample(range(EDITS_PER_MEASURE), len(path)))
            title = f"{rnd.choice(TITLE_HEADS)} {rnd.choice(TITLE_TAILS)} {i + 1}"
            due = created_day + datetime.timedelta(days=rnd.randrange(180, 900))
            state = {
                "status": MeasureStatus.NOT_STARTED
                if final_status != MeasureStatus.UNKNOWN
                else MeasureStatus.UNKNOWN,
                "title": f"{title} (concept)",
                "due_date": due,
                "completed_date": None,
                "status_since": created_day,
            }
            measure_versions = [(created_at, dict(state), "")]
            path_iter = iter(path)
            for slot, moment in enumerate(edit_moments):
                if slot in status_slots:
                    state["status"] = next(path_iter)
                    state["status_since"] = moment.date()
                    state["completed_date"] = (
                        moment.date() if state["status"] == MeasureStatus.COMPLETED else None
                    )
                    if state["status"] == MeasureStatus.EMBEDDED:
                        state["completed_date"] = measure_versions[-1][1]["completed_date"]
                    reason = "status"
                elif state["title"].endswith(" (concept)"):
                    state["title"] = title
                    reason = "title"
                else:
                    state["due_date"] += datetime.timedelta(days=rnd.randrange(30, 270))
                    reason = "due date"
                measure_versions.append((moment, dict(state), reason))
            if state["title"].endswith(" (concept)"):
                # Every measure loses the draft mark at its last edit.
                state["title"] = title
                measure_versions[-1][1]["title"] = title
            theme = self.themes_by_pk[rnd.choice(self.plan_themes[plan.pk])]
            visibility = rnd.choices(
                [Visibility.PUBLIC, Visibility.INTERNAL, Visibility.CONFIDENTIAL], [90, 7, 3]
            )[0]
            measure = Measure(
                plan=plan,
                action_line=line,
                theme=theme,
                code=f"{i % len(self.plans) + 1}.{line.order if line else 0}.{i + 1}",
                description=rnd.choice(SENTENCES),
                owner=owner,
                responsible=self.contributors.get(owner.pk),
                start_date=created_day,
                joined_on=created_day,
                budget_eur=Decimal(rnd.randrange(0, 500)) * 1000 if rnd.random() < 0.5 else None,
                visibility=visibility,
                source_reference=f"Brief {rnd.randrange(100, 300)}",
                created_at=created_at,
                updated_at=edit_moments[-1],
                **state,
            )
            measures.append(measure)
            versions.append(measure_versions)
        Measure.objects.bulk_create(measures, batch_size=BATCH)
        self.log(f"  {len(measures)} measures")

        partners, countries = {}, {}
        for measure in measures:
            others = [o for o in self.organisations if o.pk != measure.owner_id]
            partners[measure.pk] = [o.pk for o in rnd.sample(others, rnd.randrange(0, 4))]
            k = rnd.randrange(1, 3) if measure.theme.code == "kst" else rnd.randrange(0, 2)
            countries[measure.pk] = [c.pk for c in rnd.sample(self.countries, k)]
        partner_rows = self.m2m(Measure, "partners", partners)
        country_rows = self.m2m(Measure, "countries", countries)

        created_versions, edited_versions = [], []
        copy_fields = [f.attname for f in Measure._meta.concrete_fields]
        for measure, measure_versions in zip(measures, versions, strict=True):
            base = {name: getattr(measure, name) for name in copy_fields}
            editors = [self.coordinator, measure.responsible or self.coordinator]
            for index, (moment, state, reason) in enumerate(measure_versions):
                version = Measure(**{**base, **state, "updated_at": moment})
                version._history_date = moment
                version._history_user = editors[index % 2]
                version._change_reason = reason
                (edited_versions if index else created_versions).append(version)
        self.history(Measure, created_versions)
        self.history(Measure, edited_versions, update=True)
        records = Measure.history.only("history_id", "id")
        self.m2m_history(Measure, "partners", records, partner_rows)
        self.m2m_history(Measure, "countries", records, country_rows)
        self.log(f"  {len(created_versions) + len(edited_versions)} measure history records")
        self.measure_list = measures

    def updates(self):
        rnd = self.random
        updates = []
        for measure in self.measure_list:
            first = measure.start_date
            span = (self.today - first).days
            count = rnd.randrange(8, 13)
            days = sorted(rnd.sample(range(1, span), count))
            author = measure.responsible or self.coordinator
            for position, day in enumerate(days):
                date = first + datetime.timedelta(days=day)
                approved = rnd.random() < 0.85
                created = self.moment(date)
                update = ProgressUpdate(
                    measure=measure,
                    date=date,
                    author=author,
                    author_organisation_id=measure.owner_id,
                    status=measure.status if position == count - 1 else "",
                    text=" ".join(rnd.sample(SENTENCES, 2)),
                    next_steps=rnd.choice(SENTENCES),
                    include_in_letter=rnd.random() < 0.8,
                    visibility=measure.visibility,
                    state=UpdateState.APPROVED if approved else UpdateState.DRAFT,
                    approved_by=self.coordinator if approved else None,
                    approved_at=created + datetime.timedelta(hours=2) if approved else None,
                    created_at=created,
                )
                update._history_date = created
                update._history_user = author
                updates.append(update)
        ProgressUpdate.objects.bulk_create(updates, batch_size=BATCH)
        self.history(ProgressUpdate, updates)
        self.log(f"  {len(updates)} progress updates (with their history)")

    def commitments(self):
        rnd = self.random
        commitments, dates, members = [], [], {}
        for k in range(max(2, self.n // 10)):
            made_on = self.start + datetime.timedelta(days=rnd.randrange(0, 3 * 365 - 30))
            due = made_on + datetime.timedelta(days=rnd.randrange(60, 400))
            answered = [letter for letter in self.sent_letters if letter.date >= made_on]
            fulfilled = answered and rnd.random() < 0.5
            letter = rnd.choice(answered) if fulfilled else None
            commitments.append(
                Commitment(
                    kind=CommitmentKind.MOTION if rnd.random() < 0.3 else CommitmentKind.COMMITMENT,
                    number=f"31 015-{k + 1}",
                    title=f"Toezegging over {rnd.choice(TITLE_TAILS)} {k + 1}",
                    text="De minister zegt toe de Kamer te informeren.",
                    made_by="De Minister van Justitie en Veiligheid",
                    made_at=f"Commissiedebat van {made_on:%d-%m-%Y}",
                    made_on=made_on,
                    due_date=due,
                    status=CommitmentStatus.FULFILLED if letter else CommitmentStatus.OPEN,
                    fulfilled_by=letter,
                    fulfilled_on=letter.date if letter else None,
                )
            )
            dates.append(self.moment(made_on))
        self.created(Commitment, commitments, dates)
        for commitment in commitments:
            chosen = rnd.sample(self.measure_list, rnd.randrange(1, 4))
            members[commitment.pk] = [m.pk for m in chosen]
        rows = self.m2m(Commitment, "measures", members)
        self.m2m_history(Commitment, "measures", Commitment.history.only("history_id", "id"), rows)
        links, link_dates = [], []
        for k in range(0, len(commitments) - 1, 10):
            links.append(
                CommitmentLink(
                    source=commitments[k + 1],
                    target=commitments[k],
                    kind=rnd.choice(CommitmentLinkKind.values),
                )
            )
            link_dates.append(dates[k + 1] + datetime.timedelta(minutes=5))
        self.created(CommitmentLink, links, link_dates)
        self.log(f"  {len(commitments)} commitments")

    def indicators(self):
        rnd = self.random
        indicators = []
        for k in range(max(3, self.n // 100)):
            unit = rnd.choices(IndicatorUnit.values, [6, 3, 1])[0]
            indicators.append(
                Indicator(
                    name=f"Indicator {k + 1}: aantal meldingen {rnd.choice(TITLE_TAILS)}",
                    unit=unit,
                    theme=self.themes[k % len(self.themes)],
                    plan=self.plans[k % len(self.plans)],
                    owner=rnd.choice(self.owner_choices),
                    default_source="Jaarverslag",
                    order=k,
                )
            )
        created = self.moment(self.start)
        self.created(Indicator, indicators, [created] * len(indicators))
        values, dates = [], []
        year = self.today.year
        current_quarter = (self.today.month - 1) // 3 + 1
        periods = [(y, 0) for y in range(year - 5, year)] + [
            (y, q)
            for y in range(year - 2, year + 1)
            for q in range(1, 5)
            if (y, q) < (year, current_quarter)
        ]
        for indicator in indicators:
            for y, q in periods:
                top = 100 if indicator.unit == IndicatorUnit.PERCENT else 5000
                target = Decimal(rnd.randrange(top // 2, top))
                values.append(
                    IndicatorValue(
                        indicator=indicator,
                        year=y,
                        quarter=q,
                        target=target,
                        realised=min(Decimal(top), target * Decimal(rnd.randrange(70, 130)) / 100),
                        status=ValueStatus.FINAL if y < year else ValueStatus.PROVISIONAL,
                        source="Jaarverslag",
                    )
                )
                period_end = datetime.date(y, 12, 31) if not q else datetime.date(y, 3 * q, 28)
                dates.append(self.moment(min(period_end, self.today)))
        self.created(IndicatorValue, values, dates)
        self.log(f"  {len(indicators)} indicators, {len(values)} values")


def generate(n_measures, *, seed=1, today=None, log=None):
    """Fill the (empty, migrated) database with `n_measures` measures and all around them;
    return the row counts."""
    return Generator(n_measures, seed=seed, today=today, log=log).run()


def counts():
    """Return the number of rows of each domain model and of the main history tables."""
    models = [
        Organisation,
        Theme,
        Country,
        Plan,
        ActionLine,
        Measure,
        ProgressUpdate,
        Commitment,
        CommitmentLink,
        Indicator,
        IndicatorValue,
        ProgressLetter,
    ]
    result = {model.__name__: model.objects.count() for model in models}
    result["HistoricalMeasure"] = Measure.history.count()
    result["HistoricalProgressUpdate"] = ProgressUpdate.history.count()
    return result
