from django.urls import path

from .views import (
    commitments,
    dashboard,
    exports,
    history,
    imports,
    indicators,
    letters,
    measures,
    review,
    summaries,
)

app_name = "measures"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("measures/", measures.measure_list, name="list"),
    path("measures/bulk/", measures.bulk_change, name="bulk_change"),
    path("measures/new/", measures.measure_create, name="create"),
    path("measures/<int:pk>/", measures.measure_detail, name="detail"),
    path("measures/<int:pk>/edit/", measures.measure_edit, name="edit"),
    path("measures/<int:pk>/progress/", measures.log_progress, name="log_progress"),
    path("updates/<int:pk>/approve/", measures.approve_update, name="approve_update"),
    path("review/", review.review_queue, name="review"),
    path("review/approve/", review.review_approve, name="review_approve"),
    path("review/<int:pk>/send-back/", review.review_send_back, name="review_send_back"),
    path("measures/<int:pk>/history/", history.measure_history, name="history"),
    path(
        "measures/<int:pk>/history/<int:history_id>/revert/",
        history.revert,
        name="revert",
    ),
    path("changes/", history.change_list, name="changes"),
    path("compare/", history.compare_view, name="compare"),
    path("commitments/", commitments.commitment_list, name="commitments"),
    path("commitments/<int:pk>/", commitments.commitment_detail, name="commitment_detail"),
    path("commitments/<int:pk>/fulfil/", commitments.commitment_fulfil, name="commitment_fulfil"),
    path("indicators/", indicators.indicator_list, name="indicators"),
    path("indicators/<int:pk>/", indicators.indicator_detail, name="indicator_detail"),
    path(
        "indicators/<int:pk>/values/new/",
        indicators.indicator_value_create,
        name="indicator_value_create",
    ),
    path(
        "indicators/values/<int:pk>/edit/",
        indicators.indicator_value_edit,
        name="indicator_value_edit",
    ),
    path("measures/export.<str:fmt>", exports.measure_export, name="measure_export"),
    path("measures/import/", imports.import_upload, name="import"),
    path("measures/import/<str:token>/", imports.import_preview, name="import_preview"),
    path("measures/import/<str:token>/confirm/", imports.import_confirm, name="import_confirm"),
    path("measures/import/<str:token>/cancel/", imports.import_cancel, name="import_cancel"),
    path("summaries/", summaries.summary, name="summary"),
    path("letters/", letters.letter_list, name="letters"),
    path("letters/new/", letters.letter_create, name="letter_create"),
    path("letters/<int:pk>/", letters.letter_detail, name="letter_detail"),
    path("letters/<int:pk>/check/", letters.letter_check, name="letter_check"),
    path("letters/<int:pk>/send/", letters.letter_send, name="letter_send"),
]
