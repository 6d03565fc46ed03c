from django.apps import AppConfig


class AccessibilityConfig(AppConfig):
    """适老化 and 无障碍 (SPEC §11, R-A11Y-1): the toolbar every public page carries and the
    public help page that explains it."""

    name = "govsite.accessibility"
    label = "accessibility"
    verbose_name = "适老化与无障碍"
