from django.apps import AppConfig

from govsite.columns import render_cache


class PublishingConfig(AppConfig):
    """静态发布 (issue 7, SPEC §11/§12): public pages stored as files that nginx serves."""

    name = "govsite.publishing"
    label = "publishing"
    verbose_name = "静态发布"

    def ready(self):
        from . import signal_handlers, store

        signal_handlers.register()
        # The public pages' render cache is invalidated by the purge, with the published files.
        render_cache.version_from(store.purged_at)
