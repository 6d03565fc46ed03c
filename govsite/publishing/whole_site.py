"""静态发布 of the whole site (after a deploy, or when 综合科 asks for it): empty the published
tree and render every published page into it — each page of every column list, the site map
and sitemap.xml — as an anonymous visitor would (``render.render``; what is stored is decided by
``rules.stored_file``). Safe while the site is serving: a missing file sends nginx to the
application, which renders and stores it again.

Pages are rendered in tree order, so where a run had got to is one tree path: a run given that
checkpoint (a background job whose worker was killed) carries on after it instead of emptying
the tree and starting again.
"""

from dataclasses import dataclass, field

from wagtail.models import Page, get_page_models

from govsite.jobs.runner import read_in_chunks

from . import rules, store
from .render import render

# The site map, sitemap.xml, and the list of feeds with the site's 最新信息 (a column's feed is
# stored by its first reader).
SITE_WIDE_URLS = ["/sitemap/", "/sitemap.xml", "/rss/", "/rss.xml"]
# The checkpoint is written every CHECKPOINT_EVERY pages (and at the end).
CHECKPOINT_EVERY = 25
# The outcome names at most this many of the pages that could not be generated.
FAILURES_SHOWN = 20


@dataclass
class Outcome:
    written: int = 0  # files: a page and each further page of its list
    done: int = 0  # URLs: pages, then the site map and sitemap.xml
    failures: int = 0  # files that could not be generated
    failed: list = field(default_factory=list)  # the first of them: "<path>（HTTP 500）", …
    after: str = ""  # the tree path of the last page rendered

    @property
    def checkpoint(self):
        return {
            "after": self.after,
            "written": self.written,
            "done": self.done,
            "failures": self.failures,
            "failed": self.failed,
        }

    @classmethod
    def resumed(cls, checkpoint):
        return cls(**{key: checkpoint[key] for key in cls().checkpoint if key in checkpoint})

    def could_not_generate(self, line):
        self.failures += 1
        if len(self.failed) < FAILURES_SHOWN:
            self.failed.append(line)

    @property
    def message(self):
        text = f"已生成 {self.written} 个文件，位于 {store.root()}。"
        if self.failures:
            more = "等" if self.failures > len(self.failed) else ""
            text += f"\n{self.failures} 个页面未能生成：{'、'.join(self.failed)}{more}。"
        return text


def published_pages(after=""):
    """Every live, public page of a published type (exactly: the type is not inherited, see
    ``rules.is_published_type``), in tree order (after the tree path ``after``)."""
    types = [model for model in get_page_models() if rules.is_published_type(model)]
    pages = Page.objects.live().public().exact_type(*types).order_by("path")
    return pages.filter(path__gt=after) if after else pages


def urls_to_publish():
    """How many URLs a whole run renders (each list's further pages not counted)."""
    return published_pages().count() + len(SITE_WIDE_URLS)


def publish_site(progress=None, resume=None, report=None):
    """Regenerate every published file; return the ``Outcome``.

    ``progress(done, total, checkpoint)`` is told how far the run got; ``resume`` (a checkpoint
    it was given) continues a run cut short, without emptying the tree again. ``report(line)``
    is told of each file that could not be generated."""
    progress = progress or (lambda done, total, checkpoint: None)
    report = report or (lambda line: None)
    if resume:
        outcome = Outcome.resumed(resume)
    else:
        store.purge(everything=True)
        outcome = Outcome()
    total = urls_to_publish()
    progress(outcome.done, total, outcome.checkpoint)

    def failed(line):
        outcome.could_not_generate(line)
        report(line)

    pages = published_pages(outcome.after).specific(defer=True)
    for page in read_in_chunks(pages, CHECKPOINT_EVERY):
        path = rules.public_path(page.url_path)
        if path is not None:
            _publish(path, outcome, failed)
        outcome.after = page.path
        outcome.done += 1
        if outcome.done % CHECKPOINT_EVERY == 0:
            progress(outcome.done, total, outcome.checkpoint)
    for path in SITE_WIDE_URLS:
        _publish(path, outcome, failed)
        outcome.done += 1
    progress(outcome.done, max(total, outcome.done), outcome.checkpoint)
    return outcome


def _publish(path, outcome, failed):
    """Render ``path`` and every further page of the list it shows."""
    response = render(path, replace=True)
    if response.published_file is None:
        failed(f"{path}（HTTP {response.status_code}）")
        return
    outcome.written += 1
    shown = rules.list_page(response)
    for number in range(2, shown.paginator.num_pages + 1 if shown else 2):
        if render(path, f"page={number}", replace=True).published_file is None:
            failed(f"{path}?page={number}")
        else:
            outcome.written += 1
