"""The dates the tracker accepts: 1 January 1900 to 31 December 2100, wherever a date enters.

Outside that range arithmetic on dates overflows (a day before 1 January 1, a UTC day of year 0)
and no record of the programme can lie there. Every date field of our forms is a `DateField`
from here; every model with dates calls `check_dates(self)` from its `clean()`, so the admin and
imports refuse them too; the cursor of the change feed is a `DateTimeField` from here.
"""

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2100, 12, 31)
MESSAGE = _("Give a date between 1900 and 2100.")


def validate_date(value):
    """Raise ValidationError unless the date (or moment) `value` lies between 1900 and 2100."""
    if value is None:
        return
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise ValidationError(MESSAGE, code="date_out_of_range")


def check_dates(instance):
    """Raise ValidationError (per field) for every date of model `instance` outside the range."""
    errors = {}
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.DateField):  # DateTimeField is one too
            try:
                validate_date(getattr(instance, field.attname))
            except ValidationError as error:
                errors[field.name] = error
    if errors:
        raise ValidationError(errors)


class DateField(forms.DateField):
    """Django's date field, refusing dates outside 1900-2100 with a message."""

    default_validators = [validate_date]


class DateTimeField(forms.DateTimeField):
    """Django's date-and-time field, refusing moments outside 1900-2100 with a message."""

    default_validators = [validate_date]


class DateFilter(django_filters.DateFilter):
    """django-filter's date filter with the field above."""

    field_class = DateField
