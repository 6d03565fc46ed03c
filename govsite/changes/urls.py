from django.urls import path

from . import views

app_name = "govsite_changes"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("<int:pk>/", views.DetailView.as_view(), name="detail"),
    path("<int:pk>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
    path("pages/<int:page_id>/<str:kind>/", views.FileRequestView.as_view(), name="file"),
]
