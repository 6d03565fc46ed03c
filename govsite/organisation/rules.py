"""The rules of 领导简介 and 机构职能 (第十条: 机构设置、职责及联系方式), each in one place.

- The order of the leaders is the order 综合科 gives their pages in the explorer (Wagtail's
  「排序」, which moves the pages among their siblings): ``leaders_in_order`` reads the tree
  order, never a date or a name.
- 联系方式 is validated where a format exists: telephone and fax numbers and the postcode by
  ``govsite.phones`` (shared with the 办事指南), the e-mail address by Django's own validator.
- How a leader's 分管科室 read on a card (``supervision_wording``).
"""

from django.db.models import Prefetch

# The picture of a leader as the cards and the leader's own page show it: the stored 4:3
# image (第十七条) at card size; Wagtail crops around the image's focal point if it has one.
CARD_PHOTO = "fill-240x180"
PAGE_PHOTO = "max-500x375"


def leaders_in_order(leader_pages, rendition_model):
    """The live leaders of ``leader_pages`` (a ``LeaderPage`` queryset already limited to one
    column) in the order 综合科 set in the explorer, each with their photo, its card-size
    rendition and their 分管科室 read in a fixed number of queries, however many leaders."""
    renditions = rendition_model.objects.filter(filter_spec=CARD_PHOTO)
    return (
        leader_pages.live()
        .order_by("path")
        .select_related("photo")
        .prefetch_related(
            "supervised_sections",
            Prefetch("photo__renditions", queryset=renditions),
        )
    )


def supervision_wording(sections):
    """分管科室 as a card says it: "分管综合科、督查室、信息中心", or nothing."""
    names = [section.name for section in sections]
    return f"分管{'、'.join(names)}" if names else ""
