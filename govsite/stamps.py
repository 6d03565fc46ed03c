"""A data version every process reads before it uses data it keeps in memory (the screening
lexicon's automaton, the search dictionary's segmenter): the one way a change reaches every
process and every server without a restart."""

import threading
import uuid

from django.apps import apps
from django.db import models
from django.utils import timezone


class DataVersion(models.Model):
    """One row (pk 1), stamped anew by every change to the data it stands for. A process whose
    copy was built for another stamp rebuilds it before its next use. The stamp is random, not
    a counter, so that a rolled-back change can never be mistaken for a later committed one."""

    stamp = models.UUIDField(default=uuid.uuid4)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.stamp}（{self.changed_at:%Y-%m-%d %H:%M}）"

    @classmethod
    def current(cls):
        return cls.objects.filter(pk=1).values_list("stamp", flat=True).first()

    @classmethod
    def bump(cls):
        if not cls.objects.filter(pk=1).update(stamp=uuid.uuid4(), changed_at=timezone.now()):
            cls.objects.get_or_create(pk=1)


class Current:
    """What this process keeps in memory for a ``DataVersion``: ``build(stamp)`` runs again
    before the next use whenever the version row carries another stamp.

    ``Current("screening.LexiconVersion", Lexicon.from_database).get()``"""

    def __init__(self, version_model, build):
        self.version_model = version_model
        self.build = build
        self._built = (None, None)  # (stamp, value), replaced as one
        self._lock = threading.Lock()

    def get(self):
        stamp = apps.get_model(self.version_model).current()
        built_for, value = self._built
        if value is None or stamp is None or built_for != stamp:
            with self._lock:
                value = self.build(stamp)
                self._built = (stamp, value)
        return value
