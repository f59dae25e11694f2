"""The tracker's form mixin (measures/forms/base.py): empty options, optional fields, messages."""

import pytest
from django import forms
from django.db.models.fields import BLANK_CHOICE_DASH

from measures.forms.base import TrackerFormMixin
from measures.models import Organisation

pytestmark = pytest.mark.usefixtures("english")  # the English source strings (conftest)


class SampleForm(TrackerFormMixin, forms.Form):
    name = forms.CharField(label="Name")
    kind = forms.ChoiceField(label="Kind", choices=BLANK_CHOICE_DASH + [("a", "A")])
    organisation = forms.ModelChoiceField(
        label="Organisation", queryset=Organisation.objects.none(), required=False
    )
    note = forms.CharField(label="Note", required=False)
    agreed = forms.BooleanField(label="Agreed", required=False)
    code = forms.CharField(label="Code", error_messages={"required": "Give the code."})
    fixed = forms.CharField(label="Fixed", required=False, disabled=True)
    secret = forms.CharField(required=False, widget=forms.HiddenInput)

    required_messages = {"name": "Enter your name."}


def test_empty_options_say_choose(db):
    form = SampleForm()
    assert list(form["kind"].field.choices)[0] == ("", "Choose …")
    assert list(form["organisation"].field.choices)[0] == ("", "Choose …")


def test_only_optional_visible_fields_are_marked(db):
    form = SampleForm()
    labels = {name: str(form[name].label) for name in form.fields}
    assert labels["note"] == 'Note <span class="optional-marker">(optional)</span>'
    assert labels["organisation"].endswith("(optional)</span>")
    assert labels["name"] == "Name"
    assert labels["agreed"] == "Agreed"  # a checkbox is never "required"
    assert labels["fixed"] == "Fixed"  # not for the user to fill in
    assert labels["secret"] == "Secret"


def test_required_messages_name_the_field(db):
    form = SampleForm({})
    assert form.errors["name"] == ["Enter your name."]  # the form's own
    assert form.errors["kind"] == ["Choose the kind."]  # a select: choose
    assert form.errors["code"] == ["Give the code."]  # the field's own message stays


def test_an_input_gets_enter(db):
    class Other(TrackerFormMixin, forms.Form):
        title = forms.CharField(label="Title")

    assert Other({}).errors["title"] == ["Enter the title."]


def test_a_filter_form_marks_nothing_optional_but_says_choose(alice):
    from measures.forms.history import ChangeFilterForm
    from measures.forms.measures import BulkChangeForm
    from measures.models import Measure

    bulk = BulkChangeForm(measures=Measure.objects.none())
    assert str(bulk["owner"].label) == "New owner"
    assert list(bulk["owner"].field.choices)[0] == ("", "Choose …")
    assert list(bulk["status"].field.choices)[0] == ("", "Choose …")
    changes = ChangeFilterForm(user=alice)
    assert str(changes["organisation"].label) == "Organisation of the person"
    assert list(changes["organisation"].field.choices)[0] == ("", "Choose …")
