"""Forms for setting up the programme in the tracker: plans with their action lines, themes,
organisations and indicators with their breakdowns. They clean input; the views save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..dates import DateField
from ..models import (
    ActionLine,
    Indicator,
    IndicatorBreakdown,
    Organisation,
    Plan,
    Theme,
)
from ..widgets import DateInput
from .base import TrackerFormMixin
from .fields import DutchDecimalField

# How many empty rows a plan's action lines and an indicator's breakdowns offer: a plan of the
# letters has three action lines (prevention, investigation and prosecution, cooperation).
EXTRA_ROWS = 3


class PlanForm(TrackerFormMixin, forms.ModelForm):
    class Meta:
        model = Plan
        fields = [
            "title",
            "short_title",
            "kind",
            "themes",
            "owner",
            "start",
            "end",
            "source_reference",
            "predecessor",
            "description",
        ]
        field_classes = {"start": DateField, "end": DateField}
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "start": DateInput(),
            "end": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].empty_label = _("Choose an organisation")
        self.fields["predecessor"].empty_label = _("None")
        if self.instance.pk:
            self.fields["predecessor"].queryset = Plan.objects.exclude(pk=self.instance.pk)


class NumberedRowsFormSet(forms.BaseInlineFormSet):
    """An inline formset of named, ordered rows whose empty rows come numbered on from the last
    row, so three new rows typed in one go get orders that do not collide."""

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        last = 0
        if instance is not None and instance.pk:
            last = max(
                (row.order for row in self.model.objects.filter(**{self.fk.name: instance})),
                default=0,
            )
        kwargs.setdefault("initial", [{"order": last + n} for n in range(1, self.extra + 1)])
        super().__init__(*args, **kwargs)


ActionLineFormSet = forms.inlineformset_factory(
    Plan,
    ActionLine,
    formset=NumberedRowsFormSet,
    fields=["name", "order"],
    extra=EXTRA_ROWS,
    can_delete=False,
    fk_name="plan",
)


class ThemeForm(TrackerFormMixin, forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["name", "name_en", "code", "order"]
        help_texts = {"code": _("A short code without spaces, e.g. kst.")}


class OrganisationForm(TrackerFormMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "abbreviation", "kind", "parent", "country"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Choose a kind")), *self.fields["kind"].choices[1:]]
        self.fields["parent"].empty_label = _("None")
        if self.instance.pk:
            self.fields["parent"].queryset = Organisation.objects.exclude(pk=self.instance.pk)


class IndicatorForm(TrackerFormMixin, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "name",
            "unit",
            "theme",
            "plan",
            "owner",
            "default_source",
            "order",
            "description",
            "base_year",
            "base_value",
            "target_year",
            "target_change",
            "target_change_unit",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"base_value": DutchDecimalField, "target_change": DutchDecimalField}
        help_texts = {
            "default_source": _("Filled in for new figures, e.g. “Op basis van politiegegevens”.")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].empty_label = _("Choose a theme")
        self.fields["plan"].empty_label = _("None")
        self.fields["owner"].empty_label = _("None")
        self.fields["target_change_unit"].choices = [
            ("", _("No target against a base year")),
            *self.fields["target_change_unit"].choices[1:],
        ]


BreakdownFormSet = forms.inlineformset_factory(
    Indicator,
    IndicatorBreakdown,
    formset=NumberedRowsFormSet,
    fields=["name", "order"],
    extra=EXTRA_ROWS,
    can_delete=False,
    fk_name="indicator",
)
