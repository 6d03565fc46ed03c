from django.urls import path

from . import views

app_name = "govsite_topics"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("new/", views.ApplyView.as_view(), name="apply"),
    path("<int:pk>/", views.DetailView.as_view(), name="detail"),
    path("<int:pk>/revise/", views.ReviseView.as_view(), name="revise"),
    path("<int:pk>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
]
