"""The search dictionary that 综合科 maintains in the admin (SPEC §11 "Chinese full-text search").

- ``SearchWord``: a government term the segmenter keeps whole (区政府办公室, 放管服, …).
- ``DictionaryVersion``: one row restamped by every dictionary change; each process compares it
  before segmenting and rebuilds its segmenter when it differs (no restart). It also records
  the stamp the search index was last built with: while the two differ the index is *stale*
  and the scheduler re-indexes (``govsite.search.reindex``).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from govsite.stamps import DataVersion


class SearchWordQuerySet(models.QuerySet):
    def enabled(self):
        return self.filter(enabled=True)


class SearchWord(models.Model):
    """A term of the user dictionary: text containing it is indexed with the term as one word,
    and a query containing it searches for the whole term."""

    word = models.CharField(
        "词语",
        max_length=30,
        unique=True,
        help_text="机关常用词、专有名词或简称，如“放管服”“一网通办”。不含空格和标点。",
    )
    note = models.CharField("备注", max_length=200, blank=True)
    enabled = models.BooleanField("启用", default=True, help_text="停用的词语不参与分词。")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = SearchWordQuerySet.as_manager()

    class Meta:
        verbose_name = "搜索词典词条"
        verbose_name_plural = "搜索词典"
        ordering = ["word"]

    def __str__(self):
        return self.word

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        DictionaryVersion.bump()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        DictionaryVersion.bump()
        return result

    def clean(self):
        self.word = (self.word or "").strip()
        if any(ch.isspace() for ch in self.word):
            raise ValidationError({"word": "词语中不能有空格。"})
        if self.word and not any(ch.isalnum() for ch in self.word):
            raise ValidationError({"word": "词语须包含文字或数字。"})

    @property
    def enabled_label(self):
        return "是" if self.enabled else "否"


class DictionaryVersion(DataVersion):
    """The dictionary's version, which every process's segmenter compares before use, and the
    version the search index was last rebuilt with (stale while they differ)."""

    indexed_stamp = models.UUIDField(
        "索引所用词典版本",
        null=True,
        blank=True,
        help_text="上次重建搜索索引时的词典版本；与当前版本不同时，索引待重建。",
    )
    indexed_at = models.DateTimeField("索引重建时间", null=True, blank=True)

    class Meta:
        verbose_name = "搜索词典版本"

    @classmethod
    def state(cls):
        version, _ = cls.objects.get_or_create(pk=1)
        return version

    @property
    def index_stale(self):
        return self.indexed_stamp != self.stamp

    @classmethod
    def mark_indexed(cls, stamp):
        """The index has been rebuilt with the dictionary of ``stamp``."""
        cls.objects.filter(pk=1).update(indexed_stamp=stamp, indexed_at=timezone.now())
