from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models, transaction
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from . import roles


def _named_group(group, name):
    """The section's group, created or renamed to ``name``."""
    if group is None:
        return Group.objects.create(name=name)
    if group.name != name:
        group.name = name
        group.save(update_fields=["name"])
    return group


class SectionQuerySet(models.QuerySet):
    def supervised_by(self, user):
        """Sections whose content ``user`` reviews as 主管主任 (第十四条)."""
        return self.filter(directors=user)

    def with_officer(self, user):
        """Sections in which ``user`` is an information officer (第七条)."""
        return self.filter(officer_group__user=user)

    def running_website(self):
        """The section that builds and manages the website (第五条: 综合科), at most one."""
        return self.filter(runs_website=True)

    def signing_off_media(self):
        """Sections whose chiefs sign off audio and video (第十七条: 信息中心)."""
        return self.filter(signs_off_media=True)

    def with_chief(self, user):
        """Sections of which ``user`` is the chief (第十四条)."""
        return self.filter(chief_group__user=user)

    def with_member(self, user):
        """Sections in which ``user`` is an officer, the chief or a supervising director."""
        return self.filter(
            models.Q(officer_group__user=user)
            | models.Q(chief_group__user=user)
            | models.Q(directors=user)
        ).distinct()


class Section(index.Indexed, models.Model):
    """A section (科室) of the office, the unit that owns columns (第五、九、十一条; R-TREE-2).

    One section builds and manages the website (``runs_website``, 第五条: 综合科, SPEC's "site
    owner section"); a constraint keeps it to one, and ``rules.office_section`` is the answer
    every app reads.

    Each section has two groups of its own, ``<科室>-信息员`` (drafts and updates content,
    第七条) and ``<科室>-科长`` (first review, 第十四条), and is supervised by one or more
    directors (主管主任, second review). The groups are created and renamed with the section.
    """

    name = models.CharField("科室名称", max_length=30, unique=True)
    code = models.SlugField(
        "代码",
        max_length=20,
        unique=True,
        help_text="英文或拼音简称，用于编号和链接，例如 mishu。",
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    description = models.TextField("职责说明", blank=True)
    signs_off_media = models.BooleanField(
        "签发音视频",
        default=False,
        help_text="本科室科长负责审核签发含音频、视频的信息（第十七条）。",
    )
    runs_website = models.BooleanField(
        "负责网站建设和管理（综合科）",
        default=False,
        help_text="本科室负责网站的规划建设、日常维护和运行管理（第五条），对各科室栏目的更新维护"
        "进行督促检查（第二十一条）：其信息员和科长看到全办的栏目更新情况和考核。只能有一个科室。",
    )
    directors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="主管主任",
        related_name="supervised_sections",
        blank=True,
        limit_choices_to={"groups__name": roles.DIRECTORS},
        help_text="分管本科室的主任，负责本科室内容的第二级审核（第十四条）。",
    )
    officer_group = models.OneToOneField(
        Group,
        verbose_name="信息员用户组",
        on_delete=models.PROTECT,
        related_name="officer_of_section",
        editable=False,
    )
    chief_group = models.OneToOneField(
        Group,
        verbose_name="科长用户组",
        on_delete=models.PROTECT,
        related_name="chief_of_section",
        editable=False,
    )

    objects = SectionQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("code"),
        FieldPanel("sort_order"),
        FieldPanel("description"),
        FieldPanel("directors"),
        FieldPanel("signs_off_media"),
        FieldPanel("runs_website"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = "科室"
        verbose_name_plural = "科室"
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["runs_website"],
                condition=models.Q(runs_website=True),
                name="one_section_runs_the_website",
                violation_error_message="只能有一个科室负责网站建设和管理（综合科）。",
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """Create or rename the section's two groups together with the section."""
        from .permissions import grant_section_base_permissions

        with transaction.atomic():
            self.officer_group = _named_group(
                self.officer_group if self.officer_group_id else None, self.officer_group_name
            )
            self.chief_group = _named_group(
                self.chief_group if self.chief_group_id else None, self.chief_group_name
            )
            super().save(*args, **kwargs)
            grant_section_base_permissions(self)

    def clean(self):
        super().clean()
        for group_name in (self.officer_group_name, self.chief_group_name):
            clash = Group.objects.filter(name=group_name)
            if self.pk:
                clash = clash.exclude(pk__in=[self.officer_group_id, self.chief_group_id])
            if clash.exists():
                raise ValidationError({"name": f"用户组「{group_name}」已存在，请换一个科室名称。"})
        if self.runs_website:
            current = Section.objects.running_website().exclude(pk=self.pk).first()
            if current is not None:
                raise ValidationError(
                    {
                        "runs_website": f"「{current.name}」已负责网站建设和管理。"
                        "只能有一个科室负责：请先在该科室取消勾选，再勾选本科室。"
                    }
                )

    @property
    def officer_group_name(self):
        return f"{self.name}-{roles.OFFICER_SUFFIX}"

    @property
    def chief_group_name(self):
        return f"{self.name}-{roles.CHIEF_SUFFIX}"

    def officers(self):
        return self.officer_group.user_set.filter(is_active=True)

    def chiefs(self):
        return self.chief_group.user_set.filter(is_active=True)

    def director_names(self):
        return "、".join(user.get_full_name() or user.username for user in self.directors.all())

    director_names.short_description = "主管主任"
