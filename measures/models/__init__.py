"""
The domain of the tracker: organisations, action plans with their action lines, measures with their
progress, commitments to parliament, indicators with their figures, and the progress letters.

Every model keeps its full history (django-simple-history). Transitions live here, once, as model
methods (`Measure.log_progress`, `ProgressUpdate.approve`, `Commitment.fulfil`,
`ProgressLetter.mark_sent`); views, the admin, imports and commands call them.

One module per concern; every public name is re-exported here, so
`from measures.models import Measure` and Django's app registry find them as before.
"""

from .commitments import Commitment, CommitmentLink, CommitmentQuerySet
from .documents import (
    LINK_TARGETS,
    Document,
    DocumentKind,
    DocumentLink,
    MeasureEvent,
    MeasureLink,
    MeasureLinkKind,
    OrganisationName,
    kamerstuk_reference,
)
from .files import FileKind, StoredFile, file_response
from .history import HistoryOrigin, TrackedHistory, history
from .indicators import Indicator, IndicatorBreakdown, IndicatorValue, IndicatorValueQuerySet
from .letterheads import LetterTemplate, LetterTemplateQuerySet
from .letters import (
    DEFAULT_ADDRESSEE,
    LetterPassage,
    ProgressLetter,
    ProgressLetterQuerySet,
    passage_key,
    readable_passages,
)
from .measures import (
    HistoricalMeasureQuerySet,
    HistoricalProgressUpdateQuerySet,
    Measure,
    MeasureQuerySet,
    MeasureRules,
    ProgressUpdate,
    ProgressUpdateQuerySet,
    can_read_measure,
    readable_measures,
    readable_updates,
)
from .plans import ActionLine, Plan
from .reference import (
    ChangeReason,
    CommitmentKind,
    CommitmentLinkKind,
    CommitmentStatus,
    Country,
    IndicatorUnit,
    LetterKind,
    LetterStatus,
    MadeAtKind,
    MeasureStatus,
    Organisation,
    OrganisationKind,
    PassagePlace,
    PlanKind,
    Profile,
    TargetChange,
    Theme,
    UpdateState,
    ValueStatus,
    Visibility,
    before_joining,
    end_of_day,
    not_in_future,
)

__all__ = [
    "LINK_TARGETS",
    "Document",
    "DocumentKind",
    "DocumentLink",
    "MeasureEvent",
    "MeasureLink",
    "MeasureLinkKind",
    "OrganisationName",
    "kamerstuk_reference",
    "DEFAULT_ADDRESSEE",
    "LetterTemplate",
    "LetterTemplateQuerySet",
    "FileKind",
    "StoredFile",
    "file_response",
    "TargetChange",
    "HistoryOrigin",
    "TrackedHistory",
    "history",
    "OrganisationKind",
    "MeasureStatus",
    "Visibility",
    "PlanKind",
    "UpdateState",
    "LetterKind",
    "LetterStatus",
    "PassagePlace",
    "CommitmentKind",
    "CommitmentStatus",
    "MadeAtKind",
    "CommitmentLinkKind",
    "IndicatorUnit",
    "ValueStatus",
    "ChangeReason",
    "Theme",
    "Organisation",
    "Country",
    "Profile",
    "end_of_day",
    "not_in_future",
    "before_joining",
    "ProgressLetterQuerySet",
    "ProgressLetter",
    "LetterPassage",
    "passage_key",
    "readable_passages",
    "Plan",
    "ActionLine",
    "MeasureQuerySet",
    "HistoricalMeasureQuerySet",
    "MeasureRules",
    "Measure",
    "ProgressUpdateQuerySet",
    "HistoricalProgressUpdateQuerySet",
    "readable_measures",
    "readable_updates",
    "can_read_measure",
    "ProgressUpdate",
    "CommitmentQuerySet",
    "Commitment",
    "CommitmentLink",
    "Indicator",
    "IndicatorBreakdown",
    "IndicatorValueQuerySet",
    "IndicatorValue",
]
