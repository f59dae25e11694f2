from django.urls import path

from .views import history

app_name = "measures"

urlpatterns = [
    path("measures/<int:pk>/history/", history.measure_history, name="history"),
    path(
        "measures/<int:pk>/history/<int:history_id>/revert/",
        history.revert,
        name="revert",
    ),
    path("changes/", history.change_list, name="changes"),
    path("compare/", history.compare_view, name="compare"),
]
