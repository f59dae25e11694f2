"""An indicator's figures for one year as a grid: the periods (the whole year, then its quarters)
by the breakdowns (the total first). Each cell is an `IndicatorValueForm` of its own, so the
cleaning, the model's rules and the version check are the single value form's."""

import datetime
from dataclasses import dataclass, field

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..models import IndicatorValue, ValueStatus
from .commitments import IndicatorValueForm

QUARTERS = (0, 1, 2, 3, 4)  # 0: the whole year
FIRST_YEAR = 2008  # the oldest plan of the programme (the police's verbeterplan)


def period_name(year, quarter):
    return _("Whole year %(year)d") % {"year": year} if not quarter else f"Q{quarter} {year}"


class IndicatorCellForm(IndicatorValueForm):
    """One cell of the grid: a period and a breakdown (on the instance); its source comes from
    the grid's one source field."""

    class Meta(IndicatorValueForm.Meta):
        fields = ["target", "realised", "status", "note"]
        widgets = {
            "note": forms.Textarea(attrs={"rows": 1}),
            "status": forms.Select(attrs={"class": "form-select form-select-sm"}),
        }

    period_field = None  # a clash with another value of the period is the cell's error
    # A new value is written only when one of these was typed (a status alone is no figure).
    FIGURES = ("target", "realised", "note")

    def __init__(self, *args, cell_name, **kwargs):
        super().__init__(*args, **kwargs)
        for name, bound in self.fields.items():
            if name == "version":
                continue
            bound.widget.attrs["aria-label"] = f"{bound.label} – {cell_name}"
            bound.widget.attrs.setdefault("class", "form-control form-control-sm")
            bound.widget.attrs["class"] += f" cell-{name}"
        self.cell_name = cell_name

    @property
    def changes_something(self):
        changed = [name for name in self.changed_data if name != "version"]
        if self.instance.pk:
            return bool(changed)
        return any(name in self.FIGURES for name in changed)

    def mark_errors(self):
        """Mark the fields with an error for assistive technology and the eye."""
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] += " is-invalid"
                attrs["aria-describedby"] = f"{self.prefix}-{name}-error"


class GridSourceForm(forms.Form):
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        required=False,
        help_text=_("Saved with every figure you enter or change here."),
    )


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, year) for year in years]


class MissingFiguresForm(forms.Form):
    """The indicator list's `?missing=<year>`: only the indicators without a realised yearly
    total for that year (the letter checklist links here)."""

    missing = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100)


def grid_years(indicator_years, today=None):
    """Return the years the grid offers, newest first: from the programme's first year (or an
    earlier one with figures) to next year."""
    today = today or datetime.date.today()
    first = min([FIRST_YEAR, *indicator_years])
    return list(range(today.year + 1, first - 1, -1))


@dataclass
class GridRow:
    quarter: int
    name: str
    cells: list = field(default_factory=list)


class FigureGrid:
    """The figures of `indicator` for `year`: rows of periods, each with a cell per column
    (the total, then each breakdown in order). Bound to `data`, `save(by=…)` writes every cell
    that changes something through `save_change`, in one transaction: a refused cell (bad
    input, or someone else changed it since the page was shown) writes nothing at all."""

    def __init__(self, indicator, year, data=None, *, user):
        self.indicator, self.year = indicator, year
        # Queries: the breakdowns, and the year's values.
        self.columns = [("", _("Total"), "t")] + [
            (breakdown.name, breakdown.name, f"b{breakdown.pk}")
            for breakdown in indicator.breakdowns.all()
        ]
        values = {
            (value.quarter, value.breakdown): value
            for value in IndicatorValue.objects.filter(indicator=indicator, year=year)
        }
        sources = [value.source for value in values.values() if value.source]
        self.source_form = GridSourceForm(
            data, initial={"source": indicator.default_source or (sources[0] if sources else "")}
        )
        self.rows = []
        for quarter in QUARTERS:
            row = GridRow(quarter, period_name(year, quarter))
            for breakdown, label, key in self.columns:
                instance = values.get((quarter, breakdown)) or IndicatorValue(
                    indicator=indicator,
                    year=year,
                    quarter=quarter,
                    breakdown=breakdown,
                    status=ValueStatus.FINAL,
                )
                options = {
                    "instance": instance,
                    "indicator": indicator,
                    "prefix": f"q{quarter}-{key}",
                    "user": user,
                    "cell_name": f"{row.name}, {label}",
                }
                cell = IndicatorCellForm(data, **options)
                if data is not None and not cell.changes_something:
                    # Shown as stored: an unchanged cell is neither checked nor written.
                    cell = IndicatorCellForm(**options)
                cell.column = label
                row.cells.append(cell)
            self.rows.append(row)

    @property
    def cells(self):
        return [cell for row in self.rows for cell in row.cells]

    @property
    def changed_cells(self):
        return [cell for cell in self.cells if cell.is_bound]

    @property
    def errors(self):
        """Each error of the grid as (where, message, the id of the field to go to)."""
        found = []
        for cell in self.changed_cells:
            for name, messages in cell.errors.items():
                target = name if name in cell.fields else "target"
                label = cell.fields[name].label if name in cell.fields else ""
                where = f"{cell.cell_name}, {label}" if label else cell.cell_name
                found += [(where, message, cell[target].id_for_label) for message in messages]
        return found

    @property
    def error_links(self):
        """The grid's errors as the error summary lists them: (anchor, message)."""
        links = [
            (f"#{self.source_form[name].id_for_label}", message)
            for name, messages in self.source_form.errors.items()
            for message in messages
        ]
        return links + [
            (f"#{anchor}", f"{where}: {message}") for where, message, anchor in self.errors
        ]

    def is_valid(self):
        valid = self.source_form.is_valid()
        for cell in self.changed_cells:
            valid = cell.is_valid() and valid
            cell.mark_errors()
        return valid

    def save(self, *, by):
        """Write the changed cells; return how many, or None when one was refused (nothing is
        written then, and the refusal is on its cell)."""
        cells = self.changed_cells
        source = self.source_form.cleaned_data["source"]
        with transaction.atomic():
            for cell in cells:
                if source:
                    cell.instance.source = source
                if cell.save_change(by=by) is None:
                    transaction.set_rollback(True)
                    cell.mark_errors()
                    return None
        return len(cells)
