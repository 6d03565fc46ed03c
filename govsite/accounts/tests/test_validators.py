"""R-SEC-2: the password rules, each with its exact Chinese message, as configured in
AUTH_PASSWORD_VALIDATORS; the history of the last five; the rules shown wherever a password
is set."""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.password_validation import (
    get_default_password_validators,
    password_validators_help_text_html,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.urls import reverse

from govsite.accounts.models import PasswordHistory, User
from govsite.accounts.validators import (
    CharacterClassesValidator,
    CommonPasswordsValidator,
    MinimumLengthValidator,
    PasswordHistoryValidator,
    UsernameNotInPasswordValidator,
    character_classes,
)
from govsite.testing.helpers import PASSWORD

GOOD = "Hui-Yi-2026-Qiu"


def messages_for(password, user=None):
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        return error.messages
    return []


def test_every_rule_is_configured():
    assert [type(v) for v in get_default_password_validators()] == [
        MinimumLengthValidator,
        CharacterClassesValidator,
        CommonPasswordsValidator,
        UsernameNotInPasswordValidator,
        PasswordHistoryValidator,
    ]


@pytest.mark.django_db
def test_a_good_password_passes():
    assert messages_for(GOOD, User(username="mishu_xxy")) == []


def test_at_least_twelve_characters():
    validator = MinimumLengthValidator()
    with pytest.raises(ValidationError) as caught:
        validator.validate("Ab1-Ab1-Ab1")  # 11
    assert caught.value.messages == ["密码太短：至少需要 12 个字符。"]
    validator.validate("Ab1-Ab1-Ab1-")  # 12
    assert validator.get_help_text() == "至少 12 个字符。"
    # The floor cannot be configured away.
    assert MinimumLengthValidator(min_length=8).min_length == 12


@pytest.mark.parametrize(
    ("password", "classes"),
    [
        ("abcdefghijkl", {"lower"}),
        ("ABCDEFGHIJKL", {"upper"}),
        ("abcdefABCDEF", {"lower", "upper"}),
        ("abcdef123456", {"lower", "digit"}),
        ("abcdef-12345", {"lower", "digit", "symbol"}),
        ("秋天的会议开在二〇二六年", {"symbol"}),
        ("Abc 123", {"upper", "lower", "digit", "symbol"}),
    ],
)
def test_character_classes(password, classes):
    assert character_classes(password) == classes


def test_three_of_four_classes():
    validator = CharacterClassesValidator()
    for weak in ("abcdefghijklmn", "abcdefABCDEFGH", "abcdef12345678", "ABCDEF-+-+-+-+"):
        with pytest.raises(ValidationError) as caught:
            validator.validate(weak)
        assert caught.value.messages == [
            "密码须包含大写字母、小写字母、数字、符号四类中的至少三类。"
        ]
    for strong in ("abcdefABCDEF12", "abcdef-ghij-12", "ABCDEF-GHIJ-12", "abcDEF-ghiJKL"):
        validator.validate(strong)
    assert validator.get_help_text() == "须包含大写字母、小写字母、数字、符号四类中的至少三类。"


def test_common_passwords_are_refused_whatever_their_case():
    validator = CommonPasswordsValidator()
    for common in ("password1234", "Password1234", "PASSWORD1234", "qwertyuiop123"):
        with pytest.raises(ValidationError) as caught:
            validator.validate(common)
        assert caught.value.messages == ["这个密码太常见，很容易被猜中，请换一个。"]
    validator.validate(GOOD)
    assert validator.get_help_text() == "不能是常见密码。"


def test_the_username_must_not_occur_in_any_case():
    validator = UsernameNotInPasswordValidator()
    user = User(username="Mishu_XXY")
    for password in ("mishu_xxy-2026A", "2026-MISHU_XXY-a", "Ab1-mIsHu_xXy"):
        with pytest.raises(ValidationError) as caught:
            validator.validate(password, user)
        assert caught.value.messages == ["密码中不能包含用户名。"]
    validator.validate("Mishu-XXY-2026", user)  # "-" is not "_"
    validator.validate(GOOD, None)
    assert validator.get_help_text() == "不能包含用户名（不区分大小写）。"


@pytest.mark.django_db
def test_all_messages_at_once_for_a_bad_password():
    user = User(username="admin")
    assert messages_for("admin", user) == [
        "密码太短：至少需要 12 个字符。",
        "密码须包含大写字母、小写字母、数字、符号四类中的至少三类。",
        "这个密码太常见，很容易被猜中，请换一个。",
        "密码中不能包含用户名。",
    ]


@pytest.mark.django_db
def test_none_of_the_last_five_passwords_again(make_user, policy):
    assert policy.password_history == 5
    user = make_user("wenshu_xxy")  # its first password: helpers.PASSWORD
    passwords = [f"Wen-Shu-{n}-Qiu-Tian" for n in range(1, 6)]
    for password in passwords:
        assert messages_for(password, user) == []
        user.set_password(password)
        user.save()
    # The last five (the current one included) are refused, with the same message...
    reused = "不能使用最近 5 次用过的密码（包括当前密码）。"
    for password in passwords:
        assert messages_for(password, user) == [reused]
    # ...the sixth-last is allowed again.
    assert messages_for(PASSWORD, user) == []
    user.set_password("Wen-Shu-6-Qiu-Tian")
    user.save()
    assert messages_for(passwords[0], user) == []
    assert messages_for(passwords[1], user) == [reused]
    assert PasswordHistoryValidator().get_help_text() == "不能与最近 5 次用过的密码相同。"


@pytest.mark.django_db
def test_the_history_length_is_policy_data(make_user, policy):
    policy.password_history = 6
    policy.save()
    user = make_user("ducha_xxy")
    passwords = [f"Du-Cha-{n}-Qiu-Tian" for n in range(1, 7)]
    for password in passwords:
        user.set_password(password)
        user.save()
    assert messages_for(passwords[0], user) == ["不能使用最近 6 次用过的密码（包括当前密码）。"]
    assert PasswordHistoryValidator().get_help_text() == "不能与最近 6 次用过的密码相同。"


@pytest.mark.django_db
def test_history_keeps_hashes_only_and_at_most_24(make_user):
    user = make_user("xinxi_xxy")
    for n in range(30):
        user.set_password(f"Xin-Xi-{n:02d}-Qiu-Tian")
        user.save()
    kept = PasswordHistory.objects.of(user)
    assert kept.count() == 24
    assert kept.latest_first().first().password == user.password
    assert not kept.filter(password__contains="Qiu-Tian").exists()


@pytest.mark.django_db
def test_a_hash_upgrade_at_login_is_no_password_change(make_user, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    user = make_user("zonghe_xxy")
    outdated = PBKDF2PasswordHasher().encode("Zong-He-2026-Qiu", "saltsalt", iterations=1000)
    User.objects.filter(pk=user.pk).update(password=outdated)
    user.refresh_from_db()
    before = (user.password_changed_at, PasswordHistory.objects.of(user).count())
    assert user.check_password("Zong-He-2026-Qiu")  # re-hashed with the preferred hasher
    user.refresh_from_db()
    assert user.password.startswith("md5$")
    assert (user.password_changed_at, PasswordHistory.objects.of(user).count()) == before


@pytest.mark.django_db
def test_the_rules_are_shown_in_chinese_where_passwords_are_set(make_user, client):
    rules_html = str(password_validators_help_text_html())
    for line in (
        "至少 12 个字符。",
        "须包含大写字母、小写字母、数字、符号四类中的至少三类。",
        "不能是常见密码。",
        "不能包含用户名（不区分大小写）。",
        "不能与最近 5 次用过的密码相同。",
    ):
        assert line in rules_html

    superuser = make_user("root_admin", superuser=True)
    officer = make_user("mishu_xxy", "秘书科-信息员")
    client.force_login(superuser)
    pages = {
        "账号设置": reverse("wagtailadmin_account"),
        "新建用户": reverse("wagtailusers_users:add"),
        "编辑用户": reverse("wagtailusers_users:edit", args=[officer.pk]),
        "修改密码": reverse("accounts_password_change"),
    }
    for name, url in pages.items():
        html = client.get(url).content.decode()
        assert "须包含大写字母、小写字母、数字、符号四类中的至少三类。" in html, name
        assert "不能与最近 5 次用过的密码相同。" in html, name
        assert "at least 12 characters" not in html, name
    assert "不修改请留空。" in client.get(pages["编辑用户"]).content.decode()
