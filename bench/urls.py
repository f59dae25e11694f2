"""The project's URLs plus the benchmark's floor page (only while the benchmark runs)."""

from django.urls import include, path

from bench.floor import floor

urlpatterns = [
    path("bench/floor/", floor, name="bench-floor"),
    path("", include("tracker.urls")),
]
