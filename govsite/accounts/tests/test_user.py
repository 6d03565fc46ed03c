import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse


def test_chinese_names_read_family_name_first():
    user = get_user_model()(username="zhuren_wang", last_name="王", first_name="立新")
    assert user.get_full_name() == "王立新"
    assert user.get_short_name() == "王立新"
    assert get_user_model()(username="x").get_short_name() == "x"


@pytest.mark.django_db
def test_login_form_labels_are_chinese(client):
    html = client.get(reverse("wagtailadmin_login")).content.decode()
    assert 'placeholder="请输入密码"' in html
    assert ">Password<" not in html
