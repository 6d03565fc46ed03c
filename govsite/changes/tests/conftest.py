"""People and a live article for unpublishing and deletion requests."""

import pytest

from govsite.testing.helpers import add_article, sub_column

from .utils import COLUMN


@pytest.fixture
def people(make_user):
    return {
        "officer": make_user("mishu_officer", "秘书科-信息员"),
        "officer2": make_user("mishu_officer2", "秘书科-信息员"),
        "chief": make_user("mishu_chief", "秘书科-科长"),
        "other_officer": make_user("wenshu_officer", "文书科-信息员"),
        "other_chief": make_user("wenshu_chief", "文书科-科长"),
        "director": make_user("director_a", "主管主任", supervises=["秘书科", "文书科"]),
        "other_director": make_user("director_b", "主管主任", supervises=["综合科", "督查室"]),
    }


@pytest.fixture
def article(people):
    """A live article in a column owned by 秘书科, written by its officer."""
    return add_article(
        sub_column(COLUMN), title="区政府办公室召开专题会议", owner=people["officer"]
    )
