from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models as db_models
from django.db.models.constants import LOOKUP_SEP
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import models
from .forms.fields import DutchDecimalField
from .forms.measures import VersionedFormMixin
from .history.changes import stale_lines
from .locking import StaleEdit


@admin.register(models.Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "order"]
    search_fields = ["name", "name_en", "code"]


class OrganisationNameInline(admin.TabularInline):
    model = models.OrganisationName
    extra = 0


@admin.register(models.Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "abbreviation", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "abbreviation"]
    list_select_related = ["parent"]
    inlines = [OrganisationNameInline]


@admin.register(models.Country)
class CountryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "name_en", "code"]


class SuperusersChangeProfiles:
    """Only administrators (superusers) add, change or delete profiles: a user's organisation
    decides which confidential measures they read and edit, whatever the groups' permissions
    (coordinators have every `measures` permission through ensure_roles)."""

    def has_add_permission(self, request, *args):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(models.Profile)
class ProfileAdmin(SuperusersChangeProfiles, SimpleHistoryAdmin):
    list_display = ["user", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "organisation"]


class ActionLineInline(admin.TabularInline):
    model = models.ActionLine
    extra = 0


@admin.register(models.Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "owner", "start", "end"]
    list_filter = ["kind", "themes", "owner"]
    search_fields = ["title", "short_title", "description", "source_reference"]
    list_select_related = ["owner"]
    filter_horizontal = ["themes"]
    inlines = [ActionLineInline]


@admin.register(models.ActionLine)
class ActionLineAdmin(SimpleHistoryAdmin):
    list_display = ["name", "plan", "order"]
    list_filter = ["plan"]
    search_fields = ["name"]
    list_select_related = ["plan"]


class ListedInline:
    """An inline that lists a Versioned model's rows with a link to each one's own page: rows are
    added and changed there (or in the tracker), through the model's one write path with its
    version check, never by the parent's formset."""

    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ProgressUpdateInline(ListedInline, admin.StackedInline):
    model = models.ProgressUpdate
    extra = 0
    fields = [
        "date",
        "date_is_estimated",
        "status",
        "text",
        "next_steps",
        "include_in_letter",
        "state",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


class VersionedAdminForm(VersionedFormMixin, forms.ModelForm):
    """An admin form of a Versioned model, with the version check.

    The admin's history view ("revert") fills the form from an old version, version number
    included; the check must compare against the version in the database instead.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk:
            self.initial["version"] = self.current_version()


class VersionedAdmin(SimpleHistoryAdmin):
    """The admin of a Versioned model: every save goes through the model's `save_change`, with
    the version the form was opened at (its clean() has already refused a stale edit; one that
    slips in after it is refused by the claim and the whole request rolls back)."""

    form = VersionedAdminForm

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user  # who reads the lines of a stale edit (a class made per call)
        return form

    def save_model(self, request, obj, form, change):
        # The many-to-many values follow in save_related (form.save_m2m), in the same
        # transaction as the rest of the admin's request.
        obj.save_change(
            by=request.user, expected_version=form.cleaned_data["version"] if change else None
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A save that someone else's slipped in before (between the form's check and the
        claim) rolls the whole request back; say so, with what changed, on the form as it is
        now, instead of an error page."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleEdit as stale:
            messages.error(
                request, " ".join([str(stale.message), *stale_lines(stale, request.user)])
            )
            return redirect(request.get_full_path())


class MeasureAdminForm(VersionedAdminForm):
    """The Measure form of the admin."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A stored measure has both days; left empty on a new one, they get their defaults.
            self.fields["joined_on"].required = True
            self.fields["status_since"].required = True

    class Meta:
        model = models.Measure
        fields = [
            "plan",
            "action_line",
            "theme",
            "parent",
            "code",
            "title",
            "description",
            "owner",
            "partners",
            "responsible",
            "joined_on",
            "joined_on_is_estimated",
            "status",
            "status_since",
            "status_since_is_estimated",
            "start_date",
            "due_date",
            "completed_date",
            "budget_eur",
            "funder",
            "countries",
            "visibility",
            "source_reference",
            "source_letter",
        ]


@admin.register(models.Measure)
class MeasureAdmin(VersionedAdmin):
    """Measures, with their history (edits checked against the version, so none is lost). The
    list links to the tracker's own spreadsheet import (measures:import, coordinators only)."""

    form = MeasureAdminForm
    change_list_template = "admin/measures/measure/change_list.html"
    list_display = ["title", "code", "plan", "action_line", "theme", "owner", "status", "due_date"]
    list_filter = ["status", "theme", "plan", "action_line", "owner", "visibility"]
    search_fields = ["title", "description", "code", "source_reference"]
    list_select_related = ["plan", "action_line", "theme", "owner"]
    autocomplete_fields = ["owner", "funder", "responsible", "parent"]
    filter_horizontal = ["partners", "countries"]
    date_hierarchy = "due_date"
    inlines = [ProgressUpdateInline]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(models.ProgressUpdate)
class ProgressUpdateAdmin(VersionedAdmin):
    list_display = ["measure", "date", "author", "author_organisation", "status", "state"]
    list_filter = ["state", "status", "include_in_letter", "visibility", "author_organisation"]
    search_fields = ["text", "next_steps", "measure__title"]
    list_select_related = ["measure", "author", "author_organisation"]
    date_hierarchy = "date"
    autocomplete_fields = ["measure"]
    actions = ["approve_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    @admin.action(description=_("Approve the selected updates for the letter"))
    def approve_selected(self, request, queryset):
        approved = 0
        for update in queryset.filter(state=models.UpdateState.DRAFT):
            try:
                update.approve(by=request.user)
            except ValidationError:
                continue  # approved (or changed) by someone else meanwhile
            approved += 1
        self.message_user(request, _("%(n)d updates approved.") % {"n": approved})


class CommitmentLinkInline(admin.TabularInline):
    model = models.CommitmentLink
    fk_name = "source"
    extra = 0
    autocomplete_fields = ["target"]


@admin.register(models.Commitment)
class CommitmentAdmin(VersionedAdmin):
    list_display = ["title", "kind", "made_on", "due_date", "status", "fulfilled_by"]
    list_filter = ["kind", "status", "made_at_kind"]
    search_fields = ["number", "title", "text", "made_at", "kamerstuk"]
    list_select_related = ["fulfilled_by"]
    filter_horizontal = ["measures"]
    inlines = [CommitmentLinkInline]


@admin.register(models.CommitmentLink)
class CommitmentLinkAdmin(SimpleHistoryAdmin):
    list_display = ["source", "kind", "target"]
    list_select_related = ["source", "target"]


class DocumentLinkInline(admin.TabularInline):
    model = models.DocumentLink
    extra = 0
    autocomplete_fields = ["measure", "plan", "commitment", "letter"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(models.Document)
class DocumentAdmin(VersionedAdmin):
    """Documents; a file is uploaded on the tracker's own form, where it is checked
    (`StoredFile.from_upload`), so here it is shown only."""

    list_display = ["title", "kind", "dossier", "number", "date", "organisation"]
    list_filter = ["kind"]
    search_fields = ["title", "dossier", "number"]
    list_select_related = ["organisation"]
    readonly_fields = ["file"]
    inlines = [DocumentLinkInline]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(models.DocumentLink)
class DocumentLinkAdmin(SimpleHistoryAdmin):
    list_display = ["document", "measure", "plan", "commitment", "letter"]
    list_select_related = ["document", "measure", "plan", "commitment", "letter"]
    autocomplete_fields = ["document", "measure", "plan", "commitment", "letter"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(models.OrganisationName)
class OrganisationNameAdmin(SimpleHistoryAdmin):
    list_display = ["name", "abbreviation", "organisation", "used_until"]
    list_select_related = ["organisation"]
    search_fields = ["name", "abbreviation"]


@admin.register(models.MeasureEvent)
class MeasureEventAdmin(VersionedAdmin):
    list_display = ["measure", "date", "visibility"]
    list_select_related = ["measure"]
    autocomplete_fields = ["measure"]
    search_fields = ["text"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(models.MeasureLink)
class MeasureLinkAdmin(SimpleHistoryAdmin):
    list_display = ["source", "kind", "target"]
    list_select_related = ["source", "target"]
    autocomplete_fields = ["source", "target"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


class IndicatorValueInline(ListedInline, admin.TabularInline):
    model = models.IndicatorValue
    fields = ["year", "quarter", "breakdown", "target", "realised", "status", "source"]


# A breakdown's figures carry its name, so the admin neither renames nor deletes a listed
# breakdown: the tracker's indicator form renames it together with its figures
# (`Indicator.rename_breakdown_values`).


class BreakdownRowForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["name"].disabled = True


class IndicatorBreakdownInline(admin.TabularInline):
    model = models.IndicatorBreakdown
    form = BreakdownRowForm
    fields = ["name", "order"]
    extra = 0
    can_delete = False


@admin.register(models.Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    # The base value and the change on it are numbers the Dutch way, as on the indicator form.
    formfield_overrides = {db_models.DecimalField: {"form_class": DutchDecimalField}}
    list_display = ["name", "unit", "theme", "owner"]
    list_filter = ["unit", "theme"]
    search_fields = ["name", "description"]
    list_select_related = ["theme", "owner"]
    inlines = [IndicatorBreakdownInline, IndicatorValueInline]


@admin.register(models.IndicatorBreakdown)
class IndicatorBreakdownAdmin(SimpleHistoryAdmin):
    list_display = ["name", "indicator", "order"]
    list_filter = ["indicator"]
    list_select_related = ["indicator"]

    def get_readonly_fields(self, request, obj=None):
        return ["indicator", "name"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.IndicatorValue)
class IndicatorValueAdmin(VersionedAdmin):
    # Numbers the Dutch way, as on the tracker's own forms ("22,0" is 22, not 220).
    formfield_overrides = {db_models.DecimalField: {"form_class": DutchDecimalField}}
    list_display = ["indicator", "year", "quarter", "breakdown", "target", "realised", "status"]
    list_filter = ["indicator", "year", "status"]
    list_select_related = ["indicator"]


@admin.register(models.ProgressLetter)
class ProgressLetterAdmin(VersionedAdmin):
    list_display = ["title", "date", "kind", "kamerstuk", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "kamerstuk", "signed_by"]
    date_hierarchy = "date"


@admin.register(models.LetterPassage)
class LetterPassageAdmin(VersionedAdmin):
    """The coordinator's texts of a letter. Saved through the model's rules: a sent letter's
    texts are refused there (and not offered for deleting here: a sent letter keeps its
    words)."""

    list_display = ["letter", "place", "theme", "plan", "action_line", "measure"]
    list_filter = ["place", "letter__status"]
    list_select_related = ["letter", "theme", "plan", "action_line", "measure"]
    search_fields = ["text", "letter__title"]
    autocomplete_fields = ["measure"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a bulk delete would skip the model's rule
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.letter.is_sent:
            return False
        return super().has_delete_permission(request, obj)

    def get_queryset(self, request):
        # A passage replacing a measure's paragraph is as confidential as the measure.
        return models.readable_passages(super().get_queryset(request), request.user)


@admin.register(models.LetterTemplate)
class LetterTemplateAdmin(VersionedAdmin):
    """The letterhead, for technical management: its files are chosen from those stored (the
    letterhead page uploads them); a Word template is checked by the model as on that page."""

    list_display = ["department", "in_use"]
    raw_id_fields = ["logo", "docx"]


class ProfileInline(SuperusersChangeProfiles, admin.StackedInline):
    model = models.Profile
    can_delete = False
    verbose_name_plural = _("organisation")


class TrackerUserAdmin(UserAdmin):
    inlines = [ProfileInline]


admin.site.unregister(User)
admin.site.register(User, TrackerUserAdmin)


# Regular expressions in a changelist URL (?title__regex=[]) reach the database unchecked: a bad
# pattern is a server error, a slow one a denial of service. Every admin of the site refuses them
# (Django answers 400); set here, after every registration, so that no admin is left out.
PATTERN_LOOKUPS = {"regex", "iregex"}


def refuse_pattern_lookups(model_admin):
    """Make `model_admin` refuse regular-expression lookups in its changelist's URL."""
    allowed = model_admin.lookup_allowed

    def lookup_allowed(lookup, value, request=None):
        if PATTERN_LOOKUPS & set(lookup.split(LOOKUP_SEP)):
            return False
        return allowed(lookup, value, request)

    model_admin.lookup_allowed = lookup_allowed


for registered in admin.site._registry.values():
    refuse_pattern_lookups(registered)
