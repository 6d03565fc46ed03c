"""R-FLOW-5 × R-TREE-2: the role × column matrix of who may file and who may decide."""

import pytest

from govsite.testing.helpers import add_article, sub_column

from .. import rules
from ..models import ChangeRequest, ChangeStatus

# column → owning section (SPEC §2)
COLUMNS = {
    "领导重要讲话": "秘书科",
    "政策法规": "综合科",
    "政府文件": "文书科",
    "工程进展": "督查室",
}
DIRECTORS = {
    "主管主任(秘书科、文书科)": {"秘书科", "文书科"},
    "主管主任(综合科、督查室、信息中心)": {"综合科", "督查室", "信息中心"},
}


@pytest.mark.django_db
def test_who_may_file_and_decide_each_step(role_users):
    for column, owner in COLUMNS.items():
        page = add_article(sub_column(column), title=f"{column}的文章")
        filer = role_users[f"{owner}-信息员"]
        at_chief = ChangeRequest(page=page, kind="unpublish", reason="理由", requested_by=filer)
        at_director = ChangeRequest(
            page=page,
            kind="unpublish",
            reason="理由",
            requested_by=filer,
            status=ChangeStatus.AWAITING_DIRECTOR,
        )
        for role, user in role_users.items():
            files = role in (f"{owner}-信息员", f"{owner}-科长")
            assert rules.may_file(user, page, "unpublish") == files, (role, column)
            assert rules.may_file(user, page, "delete") == files, (role, column)
            chief = role == f"{owner}-科长"
            assert rules.may_decide(user, at_chief) == chief, (role, column)
            director = owner in DIRECTORS.get(role, ())
            assert rules.may_decide(user, at_director) == director, (role, column)


@pytest.mark.django_db
def test_moving_the_column_moves_who_files_and_decides(role_users):
    from govsite.testing.helpers import section

    page = add_article(sub_column("领导重要讲话"))
    change_request = ChangeRequest.objects.create(
        page=page, kind="delete", reason="理由", requested_by=role_users["秘书科-信息员"]
    )
    column = sub_column("领导重要讲话")
    column.owner_section = section("文书科")
    column.save_revision().publish()
    assert rules.may_file(role_users["文书科-信息员"], page, "unpublish") is False  # one open
    refusal = rules.refusal_to_file(role_users["秘书科-信息员"], page, "unpublish")
    assert refusal.startswith("「测试文章」由文书科负责")
    assert rules.may_decide(role_users["文书科-科长"], change_request)
    assert not rules.may_decide(role_users["秘书科-科长"], change_request)
    assert [u.username for u in rules.reviewers(change_request)] == ["wenshu_chief"]
