from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap as sitemap_view
from wagtail.documents import urls as wagtaildocs_urls

from govsite.accessibility import views as accessibility_views
from govsite.columns import views as column_views
from govsite.search.views import search_view
from govsite.security.reports import csp_report
from govsite.workflow import views as workflow_views

urlpatterns = [
    # Checked before Wagtail's own create view so that a page type that does not belong
    # under the chosen parent is refused with a message that names both (R-TREE-2).
    path(
        "admin/pages/add/<slug:app_label>/<slug:model_name>/<int:parent_page_id>/",
        column_views.guarded_create_page,
        name="govsite_guarded_create_page",
    ),
    # Wagtail's review decision from a listing, which confirms what happened and what comes
    # next (第十四条): "已通过，已送主管主任审核。".
    path(
        "admin/pages/workflow/action/<int:page_id>/<slug:action_name>/<int:task_state_id>/",
        workflow_views.WorkflowActionView.as_view(),
        name="govsite_workflow_action",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap_view, name="sitemap_xml"),
    path("sitemap/", column_views.site_map, name="site_map"),
    path("search/", search_view, name="site_search"),
    # 无障碍说明 (R-A11Y-1)
    path("accessibility/", accessibility_views.help_page, name="accessibility_help"),
    path("csp-report/", csp_report, name="csp_report"),
    # 订阅与搜索引擎 (issue 17 item 4): RSS feeds, /rss/, robots.txt, /favicon.ico.
    path("", include("govsite.feeds.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
