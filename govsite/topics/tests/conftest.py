"""People of two sections, 综合科's chief and the directors, for 专栏 applications."""

import pytest


@pytest.fixture
def people(make_user):
    return {
        "officer": make_user("mishu_officer", "秘书科-信息员"),
        "chief": make_user("mishu_chief", "秘书科-科长"),
        "office_chief": make_user("zonghe_chief", "综合科-科长"),
        "office_officer": make_user("zonghe_officer", "综合科-信息员"),
        "director": make_user("director_a", "主管主任", supervises=["秘书科", "文书科"]),
        "other_director": make_user("director_b", "主管主任", supervises=["综合科", "督查室"]),
        "other_officer": make_user("wenshu_officer", "文书科-信息员"),
        "other_chief": make_user("wenshu_chief", "文书科-科长"),
        "site_manager": make_user("site_manager", "综合科-网站管理"),
    }
