"""Generated articles for benchmarks and load tests (``manage.py generate_content``).

Realistic Chinese government texts — notices, news, plans, reports — composed from the
vocabulary below, spread over the site's dynamic sub-columns (R-TREE-3) and over the past
three years. Everything is fictional (临江区) and reproducible from a seed.

Pages are created live, as published content looks to the public site, search and the
assessment; the review chain is not replayed (that is what the demo data and the tests do).
Pages are written in batches of one transaction, with their tree paths computed per batch.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Page
from wagtail.search.backends import get_search_backends
from wagtail.signal_handlers import disable_reference_index_auto_update

from govsite.columns.models import ArticlePage, ContentKind, SubColumnPage
from govsite.demo.pages import body_blocks

DISTRICT = "临江区"
ORGANS = [
    "区政府办公室",
    "区发展和改革局",
    "区教育局",
    "区科技和工业信息化局",
    "区民政局",
    "区财政局",
    "区人力资源和社会保障局",
    "区自然资源局",
    "区生态环境分局",
    "区住房和城乡建设局",
    "区交通运输局",
    "区农业农村局",
    "区商务局",
    "区文化和旅游局",
    "区卫生健康委员会",
    "区应急管理局",
    "区市场监督管理局",
    "区统计局",
    "区医疗保障局",
    "区政务服务管理局",
    "滨江街道办事处",
    "城南街道办事处",
    "临港镇人民政府",
]
TOPICS = [
    "政务服务满意度调查",
    "安全生产大检查",
    "优化营商环境",
    "防汛抗旱",
    "森林防火",
    "生活垃圾分类",
    "老旧小区改造",
    "春节期间值班安排",
    "国家网络安全宣传周",
    "政府信息公开工作年度报告",
    "“放管服”改革",
    "“一网通办”",
    "12345政务服务便民热线",
    "义务教育招生入学",
    "城乡居民医疗保险参保缴费",
    "就业创业补贴申领",
    "高温天气防暑降温",
    "食品安全专项整治",
    "消防安全隐患排查",
    "乡村振兴",
    "文明城市创建",
    "冬季供暖保障",
    "重点项目建设",
    "减税降费政策落实",
    "企业开办“一件事”",
    "养老服务体系建设",
    "河湖长制",
    "全民健身运动会",
    "人口普查",
    "信访工作",
]
ACTIONS = ["开展", "做好", "加强", "推进", "组织", "深化", "落实", "启动", "部署", "规范"]
DOCUMENT_KINDS = ["通知", "通报", "实施方案", "工作要点", "公告", "意见", "工作方案", "报告"]
MEETINGS = ["常务会议", "专题会议", "工作推进会", "动员部署会", "座谈会", "调度会", "培训会"]
LEADERS = ["区长", "常务副区长", "副区长", "区政府办公室主任", "区政府办公室副主任"]
PLACES = ["滨江街道", "城南街道", "临港镇", "高新园区", "区行政服务中心", "江北社区", "东湖村"]
OPENINGS = [
    "为深入贯彻落实上级决策部署，进一步{action}{topic}工作，经区政府同意，现将有关事项通知如下。",
    "根据工作安排，{organ}于近日{action}{topic}工作，现将有关情况报告如下。",
    "{date}，{organ}召开{meeting}，研究部署{topic}工作。",
    "为切实提升群众获得感和满意度，{organ}决定在全区范围内{action}{topic}。",
]
PARAGRAPHS = [
    "各街道、各部门要高度重视{topic}工作，主要负责同志亲自抓，分管负责同志具体抓，"
    "确保各项任务落到实处。",
    "要坚持问题导向，聚焦群众反映强烈的突出问题，建立问题清单、责任清单和整改清单，实行销号管理。",
    "{organ}牵头负责{topic}工作的统筹协调，相关部门按照职责分工，密切配合，形成工作合力。",
    "会议指出，{topic}事关人民群众切身利益，事关经济社会发展大局，必须以更高标准、"
    "更实举措抓紧抓好。",
    "会议要求，要强化督查督办，对工作推进不力、敷衍塞责的，依规依纪严肃问责。",
    "截至{month}月底，全区共完成{topic}相关事项{count}件，办结率达到{rate}%，群众满意度持续提升。",
    "要加强宣传引导，充分利用政府网站、政务新媒体等渠道，及时发布权威信息，回应社会关切。",
    "{leader}一行先后来到{place}，实地查看{topic}推进情况，详细了解存在的困难和问题。",
    "下一步，{organ}将继续{action}{topic}工作，不断完善长效机制，推动工作常态化、制度化。",
    "请各单位于{month}月{day}日前将工作总结报送区政府办公室综合科，联系电话：0999-86012000。",
    "本{kind}自印发之日起施行，由{organ}负责解释。",
]


@dataclass
class GeneratedArticle:
    title: str
    subtitle: str
    body: list
    first_published_at: datetime


class ArticleWriter:
    """Writes one plausible article at a time from a seeded random source."""

    def __init__(self, seed, now=None):
        self.seed = seed
        self.random = random.Random(seed)
        self.now = now or timezone.now()

    def pick(self, choices):
        return self.random.choice(choices)

    def article(self):
        r = self.random
        published = self.now - timedelta(days=r.uniform(0, 3 * 365))
        slots = {
            "organ": self.pick(ORGANS),
            "topic": self.pick(TOPICS),
            "action": self.pick(ACTIONS),
            "meeting": self.pick(MEETINGS),
            "leader": self.pick(LEADERS),
            "place": self.pick(PLACES),
            "kind": self.pick(DOCUMENT_KINDS),
            "month": timezone.localtime(published).month,
            "day": r.randint(1, 28),
            "count": r.randint(12, 3600),
            "rate": r.randint(85, 100),
            "date": f"{timezone.localtime(published):%-m月%-d日}",
        }
        title, subtitle = self.pick(
            [
                ("{organ}关于{action}{topic}工作的{kind}", ""),
                ("{organ}召开{topic}{meeting}", ""),
                ("{leader}调研{place}{topic}工作", ""),
                ("{district}{topic}工作取得阶段性成效", "{organ}持续{action}{topic}"),
                ("{district}{year}年{topic}{kind}", ""),
            ]
        )
        slots["district"] = DISTRICT
        slots["year"] = timezone.localtime(published).year
        lines = [self.pick(OPENINGS)]
        lines += r.sample(PARAGRAPHS, r.randint(3, 7))
        text = "\n".join(line.format(**slots) for line in lines)
        return GeneratedArticle(
            title=title.format(**slots)[:255],
            subtitle=subtitle.format(**slots),
            body=body_blocks(text),
            first_published_at=published,
        )


def dynamic_sub_columns():
    """Where articles go: the plain sub-columns whose content changes (动态更新)."""
    return list(
        SubColumnPage.objects.exact_type(SubColumnPage)
        .filter(content_kind=ContentKind.DYNAMIC)
        .order_by("path")
    )


def generate_articles(count, *, seed=0, batch_size=1000, index=True, progress=None, columns=None):
    """Create ``count`` live articles and return them as a list of primary keys, spread over
    ``columns`` (by default every dynamic sub-column).

    Fast enough for 100,000 articles: each sub-column's next tree paths are computed once per
    batch and the rows written directly, skipping per-page search and reference indexing
    (generated bodies refer to nothing); ``index`` then adds the new pages to the search
    index in bulk, as ``manage.py update_index`` would.
    """
    columns = columns or dynamic_sub_columns()
    if not columns:
        raise ValueError("站点栏目尚未建立：请先运行 manage.py bootstrap_site。")
    writer = ArticleWriter(seed)
    stamp = f"{timezone.now():%Y%m%d%H%M%S}"
    content_type = ContentType.objects.get_for_model(ArticlePage)
    created = []
    quiet = {
        name: {**conf, "AUTO_UPDATE": False}
        for name, conf in settings.WAGTAILSEARCH_BACKENDS.items()
    }
    with override_settings(WAGTAILSEARCH_BACKENDS=quiet), disable_reference_index_auto_update():
        while len(created) < count:
            with transaction.atomic():
                batch = _write_batch(
                    writer, columns, min(batch_size, count - len(created)), stamp, content_type
                )
            if index:
                _index(batch)
            created += [page.pk for page in batch]
            if progress:
                progress(len(created))
    return created


def _write_batch(writer, columns, size, stamp, content_type):
    placed = {}
    for _ in range(size):
        column = columns[writer.random.randrange(len(columns))]
        placed.setdefault(column, []).append(writer.article())
    pages = []
    for column, items in placed.items():
        column.refresh_from_db(fields=["numchild"])
        last = column.get_last_child()
        position = last._get_lastpos_in_path() if last else 0
        for item in items:
            position += 1
            slug = f"g{stamp}-{writer.seed}-{position}"
            page = ArticlePage(
                title=item.title,
                draft_title=item.title,
                subtitle=item.subtitle,
                slug=slug,
                body=item.body,
                path=ArticlePage._get_path(column.path, column.depth + 1, position),
                depth=column.depth + 1,
                numchild=0,
                url_path=f"{column.url_path}{slug}/",
                content_type=content_type,
                locale_id=column.locale_id,
                source_section_id=column.owner_section_id,
                live=True,
                first_published_at=item.first_published_at,
                last_published_at=item.first_published_at,
            )
            # Model.save: the two table rows, without Page.save's per-page tree lookups.
            models.Model.save(page)
            pages.append(page)
        Page.objects.filter(pk=column.pk).update(numchild=F("numchild") + len(items))
    return pages


def _index(pages):
    for backend in get_search_backends():
        backend.add_bulk(ArticlePage, pages)
