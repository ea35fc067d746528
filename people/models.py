"""The registry: people, their honours and skills, and collectives (which are not people)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Region
from core.scope import ScopedQuerySet


class Level(models.TextChoices):
    NATIONAL = "national", _("全国级")
    PROVINCIAL = "provincial", _("省部级")
    CITY = "city", _("市级")
    DISTRICT = "district", _("区县级")


# Higher is better; benefits follow the highest level a person holds or enjoys.
LEVEL_RANK = {Level.NATIONAL: 4, Level.PROVINCIAL: 3, Level.CITY: 2, Level.DISTRICT: 1}


class TitleKind(models.TextChoices):
    MODEL_WORKER = "model_worker", _("劳动模范/先进工作者")
    UNION_AWARD = "union_award", _("五一劳动奖章等工会荣誉")
    CRAFTSMAN = "craftsman", _("工匠称号")
    OTHER = "other", _("其他")


class HonourTitle(models.Model):
    """The editable honours catalogue. ``level`` is the title's own rank; ``enjoys_level`` the
    rank whose benefits it carries (全国五一劳动奖章: a national union award that enjoys
    provincial-level treatment)."""

    name = models.CharField(_("称号"), max_length=60, unique=True)
    kind = models.CharField(_("类别"), max_length=16, choices=TitleKind.choices)
    level = models.CharField(_("级别"), max_length=12, choices=Level.choices)
    enjoys_level = models.CharField(_("享受待遇级别"), max_length=12, choices=Level.choices, blank=True)
    awarding_body = models.CharField(_("授予机关"), max_length=100, blank=True)
    aliases = models.CharField(_("别名"), max_length=200, blank=True, help_text=_("逗号分隔，导入时识别"))
    for_collectives = models.BooleanField(_("授予集体"), default=False)
    sort = models.PositiveIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["sort", "id"]
        verbose_name = _("荣誉称号")
        verbose_name_plural = _("荣誉称号")

    def __str__(self) -> str:
        return self.name

    @property
    def effective_level(self) -> str:
        """The level whose treatment this title carries: the enjoyed level when one is set
        (全国五一劳动奖章 is a national award treated as provincial), else the title's own."""
        return self.enjoys_level or self.level


class Trade(models.Model):
    """The editable trades catalogue (工种)."""

    code = models.CharField(_("编码"), max_length=20, unique=True)
    name = models.CharField(_("工种"), max_length=60, unique=True)
    category = models.CharField(_("大类"), max_length=60, blank=True)
    sort = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort", "id"]
        verbose_name = _("工种")
        verbose_name_plural = _("工种")

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class PersonStatus(models.TextChoices):
    WORKING = "working", _("在职")
    RETIRED = "retired", _("退休")
    DECEASED = "deceased", _("去世")
    MOVED_AWAY = "moved_away", _("迁出")


AVAILABLE_STATUSES = (PersonStatus.WORKING, PersonStatus.RETIRED)


class PersonQuerySet(ScopedQuerySet["Person"]):
    region_field = "region"
    self_field = "user"

    def active(self) -> PersonQuerySet:
        """Records that are not merged into another one."""
        return self.filter(merged_into__isnull=True)

    def available(self) -> PersonQuerySet:
        """People who can be asked to serve: not merged, and working or retired (not dead, not
        moved out of the city)."""
        return self.filter(merged_into__isnull=True, status__in=AVAILABLE_STATUSES)


class Person(models.Model):
    name = models.CharField(_("姓名"), max_length=40)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    # ID number: encrypted, keyed hash for uniqueness and lookup, masked form for display.
    id_number_encrypted = models.TextField(blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)
    id_number_masked = models.CharField(_("身份证号"), max_length=18, blank=True, editable=False)
    id_last4 = models.CharField(max_length=4, blank=True, editable=False)
    political_status = models.CharField(_("政治面貌"), max_length=20, blank=True)
    education = models.CharField(_("学历"), max_length=20, blank=True)
    employer = models.CharField(_("工作单位"), max_length=120, blank=True)
    post = models.CharField(_("职务/岗位"), max_length=60, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("所属区域"),
        on_delete=models.PROTECT,
        related_name="people",
        help_text=_("最细一级：有镇街填镇街，否则填区县"),
    )
    district = models.ForeignKey(
        Region,
        verbose_name=_("区县(市)"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        # Derived from region (which keeps its database check) by people.services: no index of
        # its own (person_list_order leads with it) and no database-level check.
        db_index=False,
        db_constraint=False,
    )
    status = models.CharField(_("状态"), max_length=12, choices=PersonStatus.choices, default=PersonStatus.WORKING)
    status_date = models.DateField(_("状态日期"), null=True, blank=True)
    mobile = models.CharField(_("手机号"), max_length=11, blank=True)
    landline = models.CharField(_("固定电话"), max_length=20, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    bank_name = models.CharField(_("开户银行"), max_length=60, blank=True)
    bank_account_name = models.CharField(_("账户名"), max_length=40, blank=True)
    bank_account_encrypted = models.TextField(blank=True, editable=False)
    bank_account_masked = models.CharField(_("银行账号"), max_length=30, blank=True, editable=False)
    hardship = models.BooleanField(_("困难劳模"), default=False)
    photo = models.ImageField(_("照片"), upload_to="photos/%Y/", blank=True)
    notes = models.TextField(_("备注"), blank=True)
    # Derived for search and filters; kept in step by people.services only.
    name_pinyin = models.CharField(max_length=80, blank=True, db_index=True, editable=False)
    name_initials = models.CharField(max_length=20, blank=True, editable=False)
    top_level = models.CharField(_("最高待遇级别"), max_length=12, choices=Level.choices, blank=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        editable=False,
        db_index=False,  # person_merged_into indexes only the few merged records
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name_pinyin", "id"]
        # Only the indexes a query uses: every one is paid for on each write (a 100,000-row import
        # spends most of its time maintaining them). Prefix searches (LIKE 'p%') need PostgreSQL's
        # pattern operator class; equality lookups a plain B-tree; the employer substring search a
        # trigram index (migration 0003). See docs/performance-census.md.
        indexes = [
            models.Index(fields=["name"], name="person_name_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["name_initials"], name="person_initials_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["id_last4"], name="person_id_last4"),
            models.Index(fields=["top_level"], name="person_top_level"),
            models.Index(fields=["merged_into"], name="person_merged_into", condition=Q(merged_into__isnull=False)),
            # The filtered list in its own order: the first page needs no sort of thousands of rows.
            # It also serves every filter on district, or district and status.
            models.Index(fields=["district", "status", "top_level", "name_pinyin", "id"], name="person_list_order"),
            # Candidates for a piece of work in a district (volunteering's proposal): an index-only
            # scan, no visit to the person rows (bench/bench_volunteering.py).
            models.Index(
                fields=["district", "status"],
                include=["id", "region", "top_level"],
                condition=Q(merged_into__isnull=True),
                name="person_candidates",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(gender__in=["M", "F"]), name="person_gender_valid"),
            models.UniqueConstraint(fields=["id_number_hash"], name="person_id_number_unique"),
        ]
        verbose_name = _("劳模工匠")
        verbose_name_plural = _("劳模工匠")

    def __str__(self) -> str:
        return self.name

    @property
    def is_alive(self) -> bool:
        return self.status != PersonStatus.DECEASED


class PersonNameToken(models.Model):
    """Every ordered pair of characters of a name, so "any two characters" is an index lookup."""

    # Derived search data, rewritten with its person: no database-level foreign-key check (it
    # cost a third of a large import's commit); Django still deletes tokens with their person.
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_tokens", db_constraint=False)
    token = models.CharField(max_length=2)  # looked up through uniq_name_token (token first)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["token", "person"], name="uniq_name_token")]


class HonourQuerySet(ScopedQuerySet["Honour"]):
    region_field = "person__region"
    self_field = "person__user"


class Honour(models.Model):
    # uniq_honour_per_year (person first) serves lookups by person.
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="honours", db_index=False)
    title = models.ForeignKey(HonourTitle, verbose_name=_("称号"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("年份"))
    awarding_body = models.CharField(_("授予机关"), max_length=100, blank=True)
    certificate_no = models.CharField(_("证书编号"), max_length=60, blank=True)
    revoked = models.BooleanField(_("已撤销"), default=False)
    revoked_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)

    objects = HonourQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "title", "year"], name="uniq_honour_per_year"),
        ]
        verbose_name = _("荣誉")
        verbose_name_plural = _("荣誉")

    def __str__(self) -> str:
        return f"{self.title}（{self.year}）"


class SkillGrade(models.TextChoices):
    JUNIOR = "5", _("初级工")
    INTERMEDIATE = "4", _("中级工")
    SENIOR = "3", _("高级工")
    TECHNICIAN = "2", _("技师")
    SENIOR_TECHNICIAN = "1", _("高级技师")
    PRINCIPAL = "0", _("特级技师/首席技师")


class SkillQuerySet(ScopedQuerySet["Skill"]):
    region_field = "person__region"
    self_field = "person__user"


class Skill(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="skills")
    trade = models.ForeignKey(Trade, verbose_name=_("工种"), on_delete=models.PROTECT)
    grade = models.CharField(_("技能等级"), max_length=1, choices=SkillGrade.choices, blank=True)
    specialties = models.CharField(_("专长"), max_length=300, blank=True)

    objects = SkillQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "trade"], name="uniq_skill_per_trade")]
        # The holders of given trades with their grade, read from the index alone (proposal).
        indexes = [models.Index(fields=["trade", "person"], include=["grade"], name="skill_trade_person")]
        verbose_name = _("技能")
        verbose_name_plural = _("技能")

    def __str__(self) -> str:
        return f"{self.trade} {self.get_grade_display()}"


class CollectiveQuerySet(ScopedQuerySet["Collective"]):
    region_field = "region"


class Collective(models.Model):
    """A model collective (模范集体, 工人先锋号): honoured, but not a person and never paid as one."""

    name = models.CharField(_("集体名称"), max_length=120)
    employer = models.CharField(_("所在单位"), max_length=120, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("所属区域"), on_delete=models.PROTECT)
    title = models.ForeignKey(HonourTitle, verbose_name=_("称号"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("年份"))
    notes = models.TextField(_("备注"), blank=True)

    objects = CollectiveQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("模范集体")
        verbose_name_plural = _("模范集体")

    def __str__(self) -> str:
        return self.name
