"""Helpers of the audit log's tests: what was recorded since a given moment."""

import pytest

from govsite.audit.models import AuditEntry

CLIENT = {"REMOTE_ADDR": "203.0.113.7", "HTTP_USER_AGENT": "Mozilla/5.0 (测试浏览器) Chrome/130"}


class Since:
    """The entries written after the mark was taken, oldest first."""

    def __init__(self):
        self.mark = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def entries(self, **filters):
        return list(
            AuditEntry.objects.filter(pk__gt=self.mark, **filters)
            .select_related("actor", "target_content_type")
            .order_by("pk")
        )

    def actions(self, **filters):
        return [entry.action for entry in self.entries(**filters)]


@pytest.fixture
def since(db):
    """``since().entries()``: what was recorded from now on."""
    return Since
