"""Password rules (R-SEC-2; 第二十条, 等保 2.0 三级 and OWASP ASVS 4.0 L2), configured in
``AUTH_PASSWORD_VALIDATORS`` so that every form that sets a password applies them: Wagtail's
account page, the admin's user forms and the forced-change page. Messages and help texts are
Chinese; the help texts are the rules shown wherever a password is chosen.
"""

from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

from govsite.security.models import SecurityPolicy

MIN_LENGTH = 12
MIN_CLASSES = 3


class MinimumLengthValidator:
    """At least 12 characters."""

    def __init__(self, min_length=MIN_LENGTH):
        self.min_length = max(int(min_length), MIN_LENGTH)

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                f"密码太短：至少需要 {self.min_length} 个字符。",
                code="password_too_short",
            )

    def get_help_text(self):
        return f"至少 {self.min_length} 个字符。"


def character_classes(password):
    """Which of the four classes occur: upper, lower, digit, symbol. Anything that is no
    letter with a case and no digit (punctuation, spaces, 汉字) counts as a symbol."""
    found = set()
    for char in password:
        if char.isupper():
            found.add("upper")
        elif char.islower():
            found.add("lower")
        elif char.isdigit():
            found.add("digit")
        else:
            found.add("symbol")
    return found


class CharacterClassesValidator:
    """At least three of upper-case letters, lower-case letters, digits and symbols."""

    def __init__(self, min_classes=MIN_CLASSES):
        self.min_classes = min(max(int(min_classes), MIN_CLASSES), 4)

    def validate(self, password, user=None):
        if len(character_classes(password)) < self.min_classes:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、符号四类中的至少{self.count}类。",
                code="password_too_simple",
            )

    @property
    def count(self):
        return "三" if self.min_classes == 3 else "四"

    def get_help_text(self):
        return f"须包含大写字母、小写字母、数字、符号四类中的至少{self.count}类。"


class CommonPasswordsValidator(CommonPasswordValidator):
    """Not one of the 20,000 common passwords Django ships (compared without case)."""

    def validate(self, password, user=None):
        if password.lower().strip() in self.passwords:
            raise ValidationError(
                "这个密码太常见，很容易被猜中，请换一个。",
                code="password_too_common",
            )

    def get_help_text(self):
        return "不能是常见密码。"


class UsernameNotInPasswordValidator:
    """The username does not occur in the password, in any case."""

    def validate(self, password, user=None):
        username = (user.get_username() if user is not None else "") or ""
        if username and username.lower() in password.lower():
            raise ValidationError("密码中不能包含用户名。", code="password_contains_username")

    def get_help_text(self):
        return "不能包含用户名（不区分大小写）。"


def history_length():
    return SecurityPolicy.load().password_history


class PasswordHistoryValidator:
    """None of the last ``SecurityPolicy.password_history`` passwords (the current one
    included) is chosen again."""

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        from .models import PasswordHistory

        count = history_length()
        hashes = list(
            PasswordHistory.objects.of(user)
            .latest_first()
            .values_list("password", flat=True)[:count]
        )
        if user.password:
            hashes.insert(0, user.password)
        # check_password without a setter: nothing is re-hashed or saved here.
        if any(check_password(password, encoded) for encoded in dict.fromkeys(hashes)):
            raise ValidationError(
                f"不能使用最近 {count} 次用过的密码（包括当前密码）。",
                code="password_reused",
            )

    def get_help_text(self):
        return f"不能与最近 {history_length()} 次用过的密码相同。"
