from django.urls import path

from .views import exports

app_name = "measures"

urlpatterns = [
    path("measures/export.<str:fmt>", exports.measure_export, name="measure_export"),
]
