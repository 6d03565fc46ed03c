"""SPEC §12: the survey list costs the same queries for 3 surveys as for 15, whatever their
states (draft, under review, returned, published with answers)."""

import pytest
from django.urls import reverse

from govsite.testing.helpers import screen_queries

from .factories import add_response, make_survey, submit

# The admin's frame (menu counts, 帮助), the user, the list and its status subquery,
# whatever the rows (the 信息报送 and 监督考核 menus included).
SURVEY_LIST_QUERIES = 39


def surveys(officer, chief, number, start=0):
    """Drafts, surveys under review, returned ones and published ones with an answer, in turn."""
    for n in range(start, start + number):
        kind = n % 4
        survey = make_survey(f"满意度调查第{n}号", live=kind == 3, user=officer)
        if kind in (1, 2):
            task_state = submit(survey, officer).current_task_state
            if kind == 2:
                task_state.task.specific.on_action(task_state, chief, "reject", comment="请修改。")
        else:
            add_response(survey, {1: "政府门户", 3: 4})


@pytest.mark.django_db
def test_the_survey_list_costs_the_same_for_3_and_15_surveys(client, role_users):
    officer, chief = role_users["综合科-信息员"], role_users["综合科-科长"]
    client.force_login(officer)
    url = reverse("surveys:list")
    surveys(officer, chief, 3)
    few, html = screen_queries(client, url)
    assert "满意度调查第2号" in html and "审核中" in html and "已退回" in html
    surveys(officer, chief, 12, start=3)
    many, html = screen_queries(client, url)
    assert "满意度调查第14号" in html and "已发布（进行中）" in html and "草稿" in html
    assert few == many <= SURVEY_LIST_QUERIES, (few, many)
