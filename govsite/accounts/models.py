from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A personal account (R-SEC-1: no shared logins; 第十八条).

    Chinese names read family name first with no space: 王立新, not "立新 王".
    """

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def get_full_name(self):
        return f"{self.last_name}{self.first_name}".strip()

    def get_short_name(self):
        return self.get_full_name() or self.username
