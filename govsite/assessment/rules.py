"""Who may do what with the columns' freshness (第十五、二十一条), in one place for the menu, the
screens, the buttons and the tests. Roles are answered by ``govsite.sections.rules``.

* 综合科 (``sections.rules.office_section``: the section marked in 科室 as building and
  managing the website, 第五条, which supervises the columns' upkeep, 第二十一条) and
  综合科-网站管理 see the whole office and its counts against the 单项否决 lines;
* a section's officers and chief see their own columns first, a director the sections they
  supervise; everyone who may open the screen may look at every column (nothing here is secret);
* only the officers and the chief of the owning section record "已复核，内容仍准确";
* the rules, a column's own rule and the 单项否决 lines are edited with model permissions, granted
  to 综合科-网站管理 (``govsite.sections.permissions``).
"""

from govsite.sections.models import Section
from govsite.sections.rules import (
    is_active_user,
    is_chief_of,
    is_director_of,
    is_site_manager,
    is_staff_of,
    office_section,
)


def sees_office(user):
    """综合科's staff and 综合科-网站管理: the office-wide view and the 单项否决 lines."""
    return is_site_manager(user) or is_staff_of(user, office_section(user))


def may_view_freshness(user):
    """栏目更新情况: whoever keeps columns, reviews them or supervises the office's upkeep."""
    return is_active_user(user) and (sees_office(user) or bool(own_sections(user)))


def own_sections(user):
    """The sections a member of staff sees first: where they are an officer or the chief, and
    those they supervise as a director (a list, read once per user object)."""
    cached = getattr(user, "_govsite_assessment_own", None)
    if cached is None:
        cached = []
        if is_active_user(user):
            cached = list(Section.objects.with_member(user).order_by("sort_order", "pk"))
        user._govsite_assessment_own = cached
    return cached


def own_label(user):
    """What the user's own sections are called on the screens: 分管科室 for a director (who
    supervises them), 本科室 for a section's officers and chief."""
    if any(is_director_of(user, section) for section in own_sections(user)):
        return "分管科室"
    return "本科室"


def may_review(user, column):
    """ "已复核，内容仍准确" is recorded by the officers and the chief of the owning section — not
    by another section, a director or 综合科 on the owner's behalf."""
    return may_review_for(user, column.owner_section)


def may_review_for(user, section):
    """``may_review`` for a listing's row, whose owning section is already read."""
    return is_staff_of(user, section)


def may_edit_rules(user):
    """更新要求, a column's own rule, the 单项否决 lines and the settings (model permissions)."""
    return user.has_perm("assessment.change_freshnessrule")


# 双百考核 scores (第二十一、二十二条; R-ASSESS-2): who sees which sections, who closes a month,
# who keeps the 考核细则. 综合科 is ``sections.rules.office_section``.


def sees_whole_office(user):
    """综合科 (its officers and chief), 综合科-网站管理 and a superuser."""
    return is_active_user(user) and (user.is_superuser or sees_office(user))


def visible_sections(user):
    """The sections whose scores ``user`` sees: every section for 综合科; the supervised ones
    for a director; one's own for an officer or chief (``own_sections``, read once per user)."""
    if not is_active_user(user):
        return []
    if sees_whole_office(user):
        return list(Section.objects.order_by("sort_order", "name"))
    return own_sections(user)


def may_view_scores(user):
    return sees_whole_office(user) or bool(visible_sections(user))


def may_view_leaders_view(user):
    """领导看板: directors (for the sections they supervise) and 综合科 (the whole office)."""
    if not is_active_user(user):
        return False
    return sees_whole_office(user) or any(is_director_of(user, s) for s in own_sections(user))


def may_close_month(user):
    """关账: 综合科's chief (or a superuser)."""
    return is_active_user(user) and (user.is_superuser or is_chief_of(user, office_section(user)))


def may_keep_rules(user):
    """考核细则: 综合科's officers and chief (or a superuser)."""
    return is_active_user(user) and (user.is_superuser or is_staff_of(user, office_section(user)))
