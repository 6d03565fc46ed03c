from django.urls import path, re_path

from . import views

# Before Wagtail's pages (govsite/urls.py): a feed sits beside its column's list.
urlpatterns = [
    re_path(r"^(?P<path>(?:[\w-]+/)*)rss\.xml$", views.column_feed, name="rss_feed"),
    path("rss/", views.feed_list, name="rss_list"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
]
