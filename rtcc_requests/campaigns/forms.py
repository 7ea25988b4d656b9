from django import forms
from django.utils import timezone

from rtcc_requests.agencies.models import AgencyKind, Technology
from rtcc_requests.common.text import single_line
from rtcc_requests.requests.choices import FilingMethod
from rtcc_requests.requests.forms import (
    DATE,
    ChecklistField,
    DayField,
    Form,
    IdChoiceField,
    OrganizationField,
)

from .models import CampaignVisibility
from .selectors import MAX_AGENCIES, AgencyPick, agencies_picked
from .services import MAX_WAVES


class AgencyPickForm(Form):
    """Which agencies: the filters of a pick (a GET form; its values ride along the POST)."""

    technology = IdChoiceField(
        queryset=Technology.objects.order_by("name"),
        required=False,
        empty_label="Any technology",
        help_text="What the campaign is about; its requests name it.",
    )
    deployed_only = forms.BooleanField(
        label="Only agencies listed with this technology",
        required=False,
        help_text="From the Atlas of Surveillance and the directory's own reports.",
    )
    state = forms.CharField(max_length=2, required=False, initial="CA", help_text="e.g. CA")
    county = forms.CharField(max_length=100, required=False, help_text="e.g. Fresno")
    kind = forms.ChoiceField(
        label="Kind of agency", choices=[("", "Any kind"), *AgencyKind.choices], required=False
    )

    def pick(self) -> AgencyPick:
        data = self.cleaned_data if self.is_valid() else {}
        return AgencyPick(
            technology=data.get("technology"),
            deployed_only=bool(data.get("deployed_only")),
            state=(data.get("state") or "").strip().upper(),
            county=single_line(data.get("county") or ""),
            kind=data.get("kind") or "",
        )


class CampaignForm(Form):
    title = forms.CharField(max_length=200, help_text="The title every request carries.")
    records_sought = forms.CharField(
        label="Records sought",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="The ask every agency receives. A numbered list lets the answers be "
        "compared item by item.",
    )
    checklist = ChecklistField()
    organization = OrganizationField(
        label="For",
        help_text="An organization you edit for: its members follow the campaign and its "
        "requests, and its letterhead signs the letters.",
    )
    description = forms.CharField(
        label="About this campaign",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Shown on the campaign's page (to everyone, if it is public).",
    )
    visibility = forms.ChoiceField(
        label="Who can see the campaign and its requests",
        choices=CampaignVisibility.choices,
        initial=CampaignVisibility.PRIVATE,
        widget=forms.RadioSelect,
        help_text="Each request can be made public or private on its own page later.",
    )
    waves = forms.IntegerField(
        min_value=1,
        max_value=MAX_WAVES,
        initial=1,
        help_text="Split the agencies into waves to file at different times.",
    )
    agencies = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        help_text=f"Untick the agencies to leave out (at most {MAX_AGENCIES}).",
    )

    def __init__(self, *args, user, pick: AgencyPick, **kwargs):
        super().__init__(*args, **kwargs)
        self.pick = pick
        self.picked = agencies_picked(user=user, pick=pick)
        self.by_id = {str(a.pk): a for a in self.picked}
        self.fields["agencies"].choices = [
            (pk, f"{a.name} ({a.county or a.city or a.state})") for pk, a in self.by_id.items()
        ]
        if not self.is_bound:
            self.initial["agencies"] = list(self.by_id)
        if not self.fields["organization"].offer(user):
            del self.fields["organization"]
        # The picked technology's checklist only: a campaign asks every agency one thing.
        self.fields["checklist"].offer(technology=pick.technology)

    def clean_title(self):
        return single_line(self.cleaned_data.get("title", ""))

    def clean(self):
        data = super().clean()
        self.fields["checklist"].add_to(
            self, data, typed=(data.get("records_sought") or "").strip()
        )
        data["agencies"] = [self.by_id[pk] for pk in data.get("agencies", [])]
        waves = data.get("waves") or 1
        if data["agencies"] and waves > len(data["agencies"]):
            self.add_error("waves", "More waves than agencies.")
        return data


class FileWaveForm(Form):
    wave = forms.IntegerField(min_value=1, max_value=MAX_WAVES, required=False)


class RecordFiledForm(FileWaveForm):
    """Drafts sent another way on one day (the agencies' portals, fax, in person), recorded
    at once; a letter by post is received later, so it is recorded on each request."""

    method = forms.ChoiceField(
        label="How they were sent",
        choices=[
            (FilingMethod.PORTAL, FilingMethod.PORTAL.label),
            (FilingMethod.FAX, FilingMethod.FAX.label),
            (FilingMethod.IN_PERSON, FilingMethod.IN_PERSON.label),
        ],
    )
    filed_on = DayField(label="Date sent", widget=DATE)

    def clean_filed_on(self):
        day = self.cleaned_data["filed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("This date is in the future.")
        return day
