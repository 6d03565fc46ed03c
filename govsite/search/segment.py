"""Chinese word segmentation for the search index and for queries (SPEC §11 "Chinese full-text
search").

Wagtail's database backends split text on spaces, so unspaced Chinese is one long "word" and a
search for 满意度 finds nothing inside 区政府办公室关于开展政务服务满意度调查的通知. Here both
sides go through one ``Segmenter``: jieba (its Rust binding, rjieba) without HMM guessing, the
office's dictionary (``SearchWord``), the same normalisation (Latin letters lower-cased) and the
same stop-words (``data/stopwords.txt``).

- ``index_tokens`` cuts in jieba's *search mode*: every word of the precise cut, and before a
  long word the shorter dictionary words inside it (区政府办公室 → 区政府, 办公室, 区政府办公室),
  so a query for part of a long term still finds it.
- ``query_tokens`` cuts in *precise mode*. Precise-mode words are always among the search-mode
  words of the same text, so every query word is a word of the index.

Each process keeps its segmenter until ``DictionaryVersion`` says the dictionary changed, and
then rebuilds it before the next use: a word added in the admin takes effect everywhere without
a restart (pages indexed earlier need re-indexing, see ``govsite.search.reindex``).
"""

import re
from functools import cache
from pathlib import Path

import rjieba

from govsite.stamps import Current

from .conf import SEARCH

DATA = Path(__file__).resolve().parent / "data"
# A token is kept when it holds a letter or a digit; punctuation and spaces are dropped.
WORDLIKE = re.compile(r"\w")
MAX_CACHED_TOKENS = 500_000


@cache
def stop_words():
    lines = (DATA / "stopwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def starter_words():
    """[(word, note)] of the dictionary every installation starts with (data/dictionary.txt)."""
    words = []
    for line in (DATA / "dictionary.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, _, note = line.partition("\t")
        words.append((word.strip(), note.strip()))
    return words


class Segmenter:
    """jieba with the office's dictionary, stamped with the dictionary version it was built for."""

    def __init__(self, words=(), stamp=None):
        self.stamp = stamp
        self.words = frozenset(words)
        self._jieba = rjieba.Jieba()
        for word in self.words:
            self._jieba.add_word(word, SEARCH["word_frequency"], None)
        self._stop = stop_words()
        self._kept = {}

    def _keep(self, tokens):
        """Normalised tokens without punctuation and stop-words (decisions cached per token:
        indexing meets the same few thousand words again and again)."""
        kept = self._kept
        for token in tokens:
            word = kept.get(token, False)
            if word is False:
                word = token.strip().lower()
                if not word or word in self._stop or not WORDLIKE.search(word):
                    word = None
                if len(kept) < MAX_CACHED_TOKENS:
                    kept[token] = word
            if word:
                yield word

    def index_tokens(self, text):
        """The words of ``text`` as the index stores them (search mode, repeats kept)."""
        if not text:
            return []
        return list(self._keep(self._jieba.cut_for_search(text, hmm=False)))

    def query_tokens(self, text):
        """The distinct words of a query (precise mode), in the order typed."""
        if not text:
            return []
        return list(dict.fromkeys(self._keep(self._jieba.cut(text, hmm=False))))

    def index_text(self, text):
        """``text`` as the database backends index it: the words joined by spaces."""
        return " ".join(self.index_tokens(text))


def _build_segmenter(stamp):
    from .models import SearchWord

    return Segmenter(SearchWord.objects.enabled().values_list("word", flat=True), stamp=stamp)


_segmenter = Current("search.DictionaryVersion", _build_segmenter)


def current_segmenter():
    """The segmenter for the dictionary as it stands now, rebuilt only when it has changed."""
    return _segmenter.get()


def index_text(text):
    return current_segmenter().index_text(text)


def query_tokens(text):
    return current_segmenter().query_tokens(text)
