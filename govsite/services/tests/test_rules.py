"""R-SERVICE-1: the validations of a 办事指南 and what counts as a missing key element."""

import pytest
from django.core.exceptions import ValidationError

from govsite.phones import validate_phone
from govsite.services import rules
from govsite.services.models import GuideMaterial, ServiceGuidePage

from .factories import complete_fields

# A page built in memory reads its content type (Wagtail's Page.__init__): allowed to.
pytestmark = pytest.mark.django_db


def guide(materials=("申请表",), **fields):
    page = ServiceGuidePage(slug="guide", **complete_fields(**fields))
    page.materials = [GuideMaterial(name=name) for name in materials]
    return page


@pytest.mark.parametrize(
    "number",
    [
        "0999-86012018",
        "(0571)87654321",
        "（0571）87654321",
        "86012018",
        "12345",
        "12345-1",
        "13812345678",
        "0571-87654321转8001",
        "0999-86012010、12345",
        "400-123-4567",
    ],
)
def test_phone_numbers_of_every_usual_form_are_accepted(number):
    validate_phone(number)


@pytest.mark.parametrize(
    "number", ["请拨打办公室", "0571-123", "123", "0571-8765432a", "1381234567"]
)
def test_a_malformed_phone_number_is_refused_in_chinese(number):
    with pytest.raises(ValidationError) as refused:
        validate_phone(number)
    assert "电话号码" in refused.value.messages[0] and "格式不对" in refused.value.messages[0]


def test_phone_fields_carry_the_validator():
    page = guide(consult_phone="请拨打办公室", complaint_phone="不详")
    with pytest.raises(ValidationError) as refused:
        page.clean_fields(exclude=["path", "depth", "slug", "content_type", "locale"])
    assert {"consult_phone", "complaint_phone"} <= set(refused.value.message_dict)


def test_the_promised_time_may_not_exceed_the_legal_time():
    with pytest.raises(ValidationError) as refused:
        rules.check_time_limits(legal_days=15, promised_days=20)
    assert refused.value.message_dict["promised_days"] == [
        "承诺办结时限（20个工作日）不能超过法定办结时限（15个工作日）。"
    ]
    rules.check_time_limits(legal_days=15, promised_days=15)
    rules.check_time_limits(legal_days=15, promised_days=0)
    rules.check_time_limits(legal_days=None, promised_days=5)  # missing: screening's to say


def test_a_charged_service_must_state_its_fee():
    with pytest.raises(ValidationError) as refused:
        rules.check_fee("charged", "  ")
    assert "须写明收费标准" in refused.value.message_dict["fee_standard"][0]
    rules.check_fee("charged", "每页0.1元")
    rules.check_fee("free", "")


def test_the_fee_is_never_blank_on_the_page():
    assert guide(fee_kind="free", fee_standard="").fee_wording == "不收费"
    assert guide(fee_kind="charged", fee_standard="每页0.1元").fee_wording == "每页0.1元"
    # Stored other than through the editor: still not an empty cell.
    assert guide(fee_kind="charged", fee_standard="").fee_wording == "收费（标准待公布）"


def test_holidays_are_said_in_words():
    assert guide(covers_holidays=False).holiday_wording == "法定节假日除外"
    assert guide(covers_holidays=True).holiday_wording == "法定节假日照常办理"


def test_time_limits_are_said_in_working_days():
    page = guide(legal_days=20, promised_days=0)
    assert (page.legal_wording, page.promised_wording) == ("20个工作日", "即办")


def test_a_complete_guide_misses_nothing():
    assert list(guide().missing_elements()) == []


def test_each_empty_element_is_named_with_its_rule():
    page = guide(
        materials=(),
        basis=[],
        conditions="<p> </p>",
        place="",
        hours="",
        steps=[],
        fee_kind="charged",
        fee_standard="",
        legal_days=None,
        consult_phone="",
        complaint_phone="",
    )
    missing = dict(page.missing_elements())
    assert list(missing) == [
        "设定依据",
        "申请条件",
        "办理材料",
        "办理地点",
        "办理时间",
        "办理流程",
        "收费标准",
        "办理时限",
        "咨询电话",
        "监督投诉电话",
    ]
    assert missing["办理时限"] == "办事指南须写明法定办结时限和承诺办结时限（工作日）。"


def test_the_required_elements_are_data():
    labels = [element.label for element in rules.required_elements()]
    assert len(labels) == 10 and labels[0] == "设定依据" and labels[-1] == "监督投诉电话"
