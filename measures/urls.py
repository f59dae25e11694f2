from django.urls import path

from .views import letters, summaries

app_name = "measures"

urlpatterns = [
    path("summaries/", summaries.summary, name="summary"),
    path("letters/", letters.letter_list, name="letters"),
    path("letters/new/", letters.letter_create, name="letter_create"),
    path("letters/<int:pk>/", letters.letter_detail, name="letter_detail"),
    path("letters/<int:pk>/send/", letters.letter_send, name="letter_send"),
]
