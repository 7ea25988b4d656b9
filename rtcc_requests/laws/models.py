"""Public-records laws as data: adding a law is adding a fixture, not code."""

from django.db import models

from .calendar import DeadlineRule


class DayType(models.TextChoices):
    CALENDAR = "calendar", "Calendar days"
    BUSINESS = "business", "Business days"


class HolidayCalendar(models.TextChoices):
    CA_JUDICIAL = "ca-judicial", "California judicial holidays (Code Civ. Proc. §135)"
    US_FEDERAL = "us-federal", "US federal holidays (5 U.S.C. §6103)"
    US_IL = "us-il", "Illinois state holidays"
    US_TX = "us-tx", "Texas state holidays"


class LawManager(models.Manager):
    def get_by_natural_key(self, code: str) -> "Law":
        return self.get(code=code)


class Law(models.Model):
    code = models.SlugField(max_length=30, unique=True, help_text="e.g. ca-cpra, us-foia")
    name = models.CharField(max_length=150)
    short_name = models.CharField(max_length=30, help_text="e.g. CPRA, FOIA")
    jurisdiction = models.CharField(
        max_length=2, help_text="Two-letter state code, or US for federal law."
    )
    citation = models.CharField(max_length=200)
    response_days = models.PositiveSmallIntegerField()
    response_citation = models.CharField(max_length=200, blank=True)
    day_type = models.CharField(max_length=10, choices=DayType.choices)
    extension_days = models.PositiveSmallIntegerField(default=0)
    extension_citation = models.CharField(max_length=200, blank=True)
    holiday_calendar = models.CharField(max_length=20, choices=HolidayCalendar.choices)
    needs_verification = models.BooleanField(
        default=False, help_text="Some facts were not checked against the statute's text."
    )
    notes = models.TextField(blank=True)

    objects = LawManager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(response_days__gt=0), name="law_response_days_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    @property
    def deadline_rule(self) -> DeadlineRule:
        return DeadlineRule(
            response_days=self.response_days,
            day_type=self.day_type,
            extension_days=self.extension_days,
            holiday_calendar=self.holiday_calendar,
        )

    @property
    def is_cpra(self) -> bool:
        return self.code == "ca-cpra"


class ExemptionManager(models.Manager):
    def get_by_natural_key(self, law: str, section: str) -> "Exemption":
        return self.get(law__code=law, section=section)


class Exemption(models.Model):
    law = models.ForeignKey(Law, on_delete=models.CASCADE, related_name="exemptions")
    section = models.CharField("current section", max_length=60)
    former_section = models.CharField(max_length=60, blank=True)
    short_name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    is_catch_all = models.BooleanField(
        default=False, help_text="The public-interest balancing test, which needs reasons."
    )
    needs_verification = models.BooleanField(default=False)

    objects = ExemptionManager()

    class Meta:
        ordering = ["law", "section"]
        constraints = [
            models.UniqueConstraint(fields=["law", "section"], name="one_exemption_per_section"),
        ]

    def __str__(self) -> str:
        former = f" [{self.former_section}]" if self.former_section else ""
        return f"{self.section}{former} – {self.short_name}"

    def natural_key(self) -> tuple[str, str]:
        return (self.law.code, self.section)

    natural_key.dependencies = ["laws.law"]
