"""Forms for composing, filing and following a request. Services still enforce every rule."""

from datetime import date

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property

from rtcc_requests.accounts.models import Organization
from rtcc_requests.accounts.organizations import organization_ids_of
from rtcc_requests.agencies.models import Agency, ChecklistItem, Technology
from rtcc_requests.agencies.selectors import agencies_open_to
from rtcc_requests.common.params import db_id
from rtcc_requests.common.text import single_line
from rtcc_requests.laws.models import Exemption, Law

from . import items as item_rules
from . import services
from .choices import (
    DeterminationKind,
    Direction,
    ExtensionGround,
    FeeBasis,
    FeeCategory,
    FilingMethod,
    ItemOutcome,
    Visibility,
)
from .letters.wording import FOIA_CODE, FoiaOptions, is_foia
from .models import Communication

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class Form(forms.Form):
    def __init__(self, *args, **kwargs):
        # "Agency", not "Agency:": labels read as questions and headings, not as a ledger.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def _not_future(day):
    if day and day > timezone.localdate():
        raise forms.ValidationError("This date is in the future.")
    return day


# No request tracked here is older, and nothing an agency names (a promised date, an
# extension, an embargo) is further ahead: outside these a date is a typo, and the legal
# clock cannot count it (year 1 or 9999 overflowed it, a server error).
EARLIEST_DAY = date(1990, 1, 1)
YEARS_AHEAD = 10


def _not_before_1990(day):
    if day and day < EARLIEST_DAY:
        raise forms.ValidationError("This date is before 1990: check the year.")
    return day


def _not_far_ahead(day):
    last_year = timezone.localdate().year + YEARS_AHEAD
    if day and day.year > last_year:
        raise forms.ValidationError(f"This date is after {last_year}: check the year.")
    return day


class DayField(forms.DateField):
    """A date from 1990 to the end of the year ten years from now; any other is an error."""

    def validate(self, value):
        super().validate(value)
        _not_before_1990(value)
        _not_far_ahead(value)


def _refuse_impossible_ids(field: forms.ModelChoiceField, values) -> None:
    """An id no row can have (beyond 2**63 - 1, not a number) is not a valid choice, said
    before the database sees it: SQLite raises OverflowError on such an integer."""
    if field.to_field_name or not isinstance(field.queryset.model._meta.pk, models.IntegerField):
        return
    for value in values:
        if value in field.empty_values or isinstance(value, models.Model):
            continue
        if db_id(value) is None:
            shown = str(value) if len(str(value)) <= 20 else f"{str(value)[:20]}…"
            raise forms.ValidationError(
                field.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": shown},
            )


class IdChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        _refuse_impossible_ids(self, [value])
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    def clean(self, value):
        if isinstance(value, list | tuple):
            _refuse_impossible_ids(self, value)
        return super().clean(value)


class OrganizationField(IdChoiceField):
    """Whom a request or campaign is for: oneself, or an organization the user edits for."""

    def __init__(self, **kwargs):
        kwargs.setdefault("empty_label", "Myself")
        super().__init__(queryset=Organization.objects.none(), required=False, **kwargs)

    def offer(self, user) -> bool:
        """Offer the user's organizations (where their role may file); False if none."""
        self.queryset = Organization.objects.filter(
            pk__in=organization_ids_of(user, changing=True)
        ).order_by("name")
        return self.queryset.exists()


class ChecklistField(forms.MultipleChoiceField):
    """The records checklists, grouped by technology, to tick items from (one query)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Records from the checklists")
        kwargs.setdefault(
            "help_text",
            "What an agency using the technology should hold, and why. Ticked items are "
            "added to the records sought as numbered items, and the letter lists them.",
        )
        super().__init__(widget=forms.CheckboxSelectMultiple, required=False, **kwargs)
        self.items: dict[str, ChecklistItem] = {}

    def offer(self, *, technology=None) -> None:
        """Read the checklists (call from the form's __init__: they are data, not code);
        only `technology`'s, if given."""
        items = ChecklistItem.objects.select_related("technology")
        if technology is not None:
            items = items.filter(technology=technology)
        self.items = {str(c.pk): c for c in items}
        groups: dict[str, list] = {}
        for pk, item in self.items.items():
            groups.setdefault(item.technology.name, []).append((pk, item.ask))
        self.choices = list(groups.items())

    def asks(self, values) -> list[str]:
        """The ticked items' asks, in the checklists' order."""
        return [self.items[pk].ask for pk in self.items if pk in set(values)]

    def add_to(self, form: forms.Form, data: dict, *, typed: str) -> str:
        """The records sought as typed with the ticked items added as numbered items (put
        in `data`); the form's error on records_sought if that leaves nothing asked."""
        sought = item_rules.with_items(typed, self.asks(data.get("checklist", [])))
        data["records_sought"] = sought
        if not sought:
            # (add_error takes the field out of cleaned_data)
            form.add_error(
                "records_sought", "Describe the records you seek, or tick items of a checklist."
            )
        return sought


class ComposerForm(Form):
    agency = IdChoiceField(
        queryset=Agency.objects.order_by("name"),
        empty_label="Choose an agency",
        help_text="The agency that holds the records.",
    )
    technologies = IdMultipleChoiceField(
        queryset=Technology.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Tick what the request is about; none is ticked for you.",
    )
    law = IdChoiceField(
        queryset=Law.objects.order_by("name"),
        empty_label="Choose a law",
        help_text="Defaults to the law of the agency's state.",
    )
    title = forms.CharField(max_length=200, help_text="A short name for you and your readers.")
    organization = OrganizationField(
        label="File as",
        help_text="For an organization you edit for: its members see the request, its "
        "letterhead signs the letter.",
    )
    # Not required by the field: ticking checklist items is enough (clean() checks).
    records_sought = forms.CharField(
        label="Records sought",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="Describe the records as precisely as you can: documents, dates, systems. "
        "A numbered list (1., 2., ...) lets the agency's answer be recorded item by item.",
    )
    checklist = ChecklistField()
    # Named "body" because the letters app's preview reads the posted text under that name.
    body = forms.CharField(
        label="Letter",
        widget=forms.Textarea(attrs={"rows": 18}),
        required=False,
        help_text="Drafted for you; edit it as you like. Left empty, it is drafted when saved.",
    )
    # Federal FOIA only (5 U.S.C. §552(a)(4)(A), (a)(6)(E)): cleared for a request under
    # another law. The template shows them as the fieldset "Federal FOIA options".
    fee_category = forms.ChoiceField(
        label="Fee category",
        choices=[("", "Not stated"), *FeeCategory.choices],
        required=False,
        help_text="FOIA fees depend on who asks and why (5 U.S.C. §552(a)(4)(A)(ii)); the "
        "letter states the category you choose.",
    )
    fee_waiver_requested = forms.BooleanField(
        label="Ask for a fee waiver",
        required=False,
        help_text="For disclosure in the public interest (5 U.S.C. §552(a)(4)(A)(iii)).",
    )
    fee_waiver_reason = forms.CharField(
        label="Why a fee waiver is in the public interest",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="How the records will add to public understanding of what the government "
        "does, and how you will share them. Needed if you ask for a waiver.",
    )
    expedited_requested = forms.BooleanField(
        label="Ask for expedited processing",
        required=False,
        help_text="The agency must decide within 10 calendar days (5 U.S.C. §552(a)(6)(E)).",
    )
    expedited_reason = forms.CharField(
        label="Why the records are needed urgently",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Needed if you ask for expedited processing. The letter certifies that this "
        "statement is true and correct to the best of your knowledge and belief.",
    )

    def __init__(self, *args, user, draft_agency_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The agencies this user may file to (approved, and their own proposals awaiting
        # review); a saved draft keeps its agency selectable whatever became of it.
        agencies = agencies_open_to(user)
        if draft_agency_id:
            agencies = agencies | Agency.objects.filter(pk=draft_agency_id)
        self.fields["agency"].queryset = agencies.order_by("name")
        if draft_agency_id is not None or not self.fields["organization"].offer(user):
            # A saved draft keeps whom it is for; someone in no organization files as
            # themselves.
            del self.fields["organization"]
        self.fields["checklist"].offer()
        self.typed_sought = ""

    FOIA_FIELDS = (
        "fee_category",
        "fee_waiver_requested",
        "fee_waiver_reason",
        "expedited_requested",
        "expedited_reason",
    )

    def clean_title(self):
        # One line: a title is an email subject and a heading (a pasted CR/LF becomes a space).
        return single_line(self.cleaned_data.get("title", ""))

    def clean_records_sought(self):
        return self.cleaned_data.get("records_sought", "").strip()

    def clean(self):
        data = super().clean()
        # What was typed, before the ticked checklist items are added to it: the letter's
        # text is matched against it (composing.letter_to_keep).
        self.typed_sought = data.get("records_sought", "")
        self.fields["checklist"].add_to(self, data, typed=self.typed_sought)
        law = data.get("law")
        options = self.foia_options(law)
        data.update(options.as_fields())  # under another law: nothing, whatever was posted
        if is_foia(law):
            for name, message in options.problems().items():
                self.add_error(name, message)
        return data

    def posted_foia_options(self) -> FoiaOptions:
        """The FOIA options as posted (or initial), valid or not, whatever the law."""
        value = {name: self[name].value() for name in self.FOIA_FIELDS}
        return FoiaOptions(
            fee_category=value["fee_category"] or "",
            fee_waiver_requested=bool(value["fee_waiver_requested"]),
            fee_waiver_reason=value["fee_waiver_reason"] or "",
            expedited_requested=bool(value["expedited_requested"]),
            expedited_reason=value["expedited_reason"] or "",
        )

    def foia_options(self, law) -> FoiaOptions:
        """The FOIA options as a request under `law` keeps them (none outside FOIA)."""
        return self.posted_foia_options().for_law(law)

    @property
    def foia_fields(self) -> list:
        return [self[name] for name in self.FOIA_FIELDS]

    @cached_property
    def foia_law_pk(self) -> int | None:
        return Law.objects.filter(code=FOIA_CODE).values_list("pk", flat=True).first()

    def shows_foia_options(self) -> bool:
        """Whether the law chosen (posted, or the initial one) is federal FOIA."""
        chosen = self.data.get("law") if self.is_bound else self.initial.get("law")
        chosen = getattr(chosen, "pk", chosen)
        return self.foia_law_pk is not None and str(chosen) == str(self.foia_law_pk)


class FilingForm(Form):
    method = forms.ChoiceField(
        label="How was it sent?", widget=forms.RadioSelect, choices=FilingMethod.choices
    )
    filed_on = DayField(
        label="Date sent", widget=DATE, required=False, help_text="The day you sent it."
    )
    received_on = DayField(
        label="Date the agency received it",
        widget=DATE,
        required=False,
        help_text="Needed for postal mail; otherwise the day it was sent. The clock starts here.",
    )
    tracking_number = forms.CharField(
        label="Agency tracking number", max_length=100, required=False
    )

    def __init__(self, *args, can_email: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.can_email = can_email
        if not can_email:
            self.fields["method"].choices = [
                c for c in FilingMethod.choices if c[0] != FilingMethod.EMAIL
            ]

    def clean_filed_on(self):
        return _not_future(self.cleaned_data.get("filed_on"))

    def clean(self):
        data = super().clean()
        method = data.get("method")
        sent_missing = not data.get("filed_on") and "filed_on" not in self.errors
        if method and method != FilingMethod.EMAIL and sent_missing:
            self.add_error("filed_on", "Give the date you sent the request.")
        received_missing = not data.get("received_on") and "received_on" not in self.errors
        if method == FilingMethod.MAIL and received_missing:
            self.add_error("received_on", "For postal mail, give the date the agency received it.")
        sent, received = data.get("filed_on"), data.get("received_on")
        if sent and received and received < sent:
            self.add_error("received_on", "The agency cannot have received it before it was sent.")
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ReplyForm(Form):
    received_on = DayField(label="Date received", widget=DATE)
    from_address = forms.CharField(label="From", max_length=300, required=False)
    subject = forms.CharField(max_length=300, required=False)
    body = forms.CharField(label="Text of the reply", widget=forms.Textarea, required=False)
    attachments = MultipleFileField(
        required=False,
        help_text="PDF, images, office documents, text or email files; several at once.",
    )

    def clean_received_on(self):
        return _not_future(self.cleaned_data.get("received_on"))

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        problems = []
        for uploaded in files:
            try:
                services.attachment_content_type(
                    file=uploaded, declared_type=uploaded.content_type or ""
                )
            except services.RequestError as refused:
                problems.append(str(refused))
        if problems:
            problems.append("Nothing was saved: choose the files again.")
            raise forms.ValidationError(problems)
        return files

    def clean(self):
        data = super().clean()
        empty = not (data.get("subject") or data.get("body") or data.get("attachments"))
        if empty and not self.errors:
            raise forms.ValidationError("Give the reply's subject, text or attachments.")
        return data


_WITHHOLDING = (DeterminationKind.DENIAL, DeterminationKind.PARTIAL)
# The fields a kind of response uses beyond those every kind has (date, official, writing,
# stated receipt, notes): the page shows only these for the kind chosen, and clean() drops
# what another kind's fields still hold, so an acknowledgement records no fee.
DETERMINATION_KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "exemptions": _WITHHOLDING,
    "other_exemptions": _WITHHOLDING,
    "more_officials": (*_WITHHOLDING, DeterminationKind.NO_RECORDS),
    "segregation_stated": _WITHHOLDING,
    "other_law": _WITHHOLDING,
    "catch_all_reasons": _WITHHOLDING,
    "fee_amount": (DeterminationKind.FEE_ESTIMATE,),
    "fee_basis": (DeterminationKind.FEE_ESTIMATE,),
    "promised_date": (
        DeterminationKind.ACKNOWLEDGEMENT,
        DeterminationKind.DISCLOSABLE,
        DeterminationKind.INSTALLMENT,
        DeterminationKind.PARTIAL,
    ),
    "extension_date": (DeterminationKind.EXTENSION,),
    "extension_ground": (DeterminationKind.EXTENSION,),
    "extension_reason": (DeterminationKind.EXTENSION,),
}


class ReplyChoiceField(IdChoiceField):
    def label_from_instance(self, obj) -> str:
        day = timezone.localtime(obj.sent_at).strftime("%a %-d %b %Y")
        return f"{day}: {obj.subject or 'reply without a subject'}"[:120]


def _empty_value(field: forms.Field):
    """What `field` holds when left blank (a kind's field another kind does not use)."""
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return []
    if isinstance(field, forms.BooleanField):
        return False
    if isinstance(field, forms.DecimalField | forms.DateField):
        return None
    return ""


class DeterminationForm(Form):
    kind = forms.ChoiceField(label="What the agency said", choices=DeterminationKind.choices)
    response_date = DayField(label="Date of the response", widget=DATE)
    exemptions = IdMultipleChoiceField(
        label="Exemptions cited",
        queryset=Exemption.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    other_exemptions = forms.CharField(label="Other grounds cited", max_length=300, required=False)
    official_name = forms.CharField(label="Responsible official", max_length=150, required=False)
    official_title = forms.CharField(label="Official's title", max_length=150, required=False)
    more_officials = forms.CharField(
        label="Other officials named responsible",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        help_text="One per line: name, title.",
    )
    in_writing = forms.BooleanField(label="The response is in writing", required=False)
    segregation_stated = forms.BooleanField(
        label="It says no part of the records could be released",
        required=False,
        help_text="For a denial: the agency looked for releasable portions (§7922.525(b)).",
    )
    other_law = forms.CharField(
        label="Other law named",
        max_length=200,
        required=False,
        help_text="If it cites §7927.705 (exempt under another law): which law, e.g. "
        "Evid. Code §1040.",
    )
    fee_amount = forms.DecimalField(
        label="Fee asked (USD)", min_value=0, max_digits=10, decimal_places=2, required=False
    )
    fee_basis = forms.MultipleChoiceField(
        label="What the fee is for",
        choices=FeeBasis.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Tick what the estimate says it charges for; none if it does not say.",
    )
    promised_date = DayField(
        label="Records promised by",
        widget=DATE,
        required=False,
        help_text="The date it gives for the records, or for the next installment.",
    )
    extension_date = DayField(
        label="Determination expected by",
        widget=DATE,
        required=False,
        help_text="For an extension notice: the date the notice names.",
    )
    extension_ground = forms.ChoiceField(
        label="Reason the extension notice gives",
        choices=[("", "—"), *ExtensionGround.choices],
        required=False,
        help_text="The unusual circumstances of §7922.535(c), or what else it says.",
    )
    extension_reason = forms.CharField(
        label="The notice's words for the reason",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    catch_all_reasons = forms.CharField(
        label="Public-interest reasons given",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="If the agency relied on the catch-all balancing test, its explanation.",
    )
    agency_received_on = DayField(
        label="Receipt date the agency states",
        widget=DATE,
        required=False,
        help_text="If the response says when the agency received the request.",
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    # The agency's reply this records: the denial log links to it as the denial letter, and
    # once recorded the reply's suggestion is answered and no longer offered.
    communication = ReplyChoiceField(
        label="The reply it was in",
        queryset=Communication.objects.none(),
        required=False,
        empty_label="Not in a reply logged here",
        help_text="The agency's message that says this; the denial log links to it.",
    )

    def __init__(self, *args, law: Law, records_request=None, applied: bool = False, **kwargs):
        # applied: filled in from a reply's suggestion, for the requester to check.
        self.applied = applied
        kwargs.setdefault("initial", {}).setdefault("in_writing", True)
        super().__init__(*args, **kwargs)
        law_exemptions = Exemption.objects.filter(law=law).order_by("pk")
        self.fields["exemptions"].queryset = law_exemptions
        self.fields["exemptions"].help_text = f"Exemptions of the {law.short_name}."
        self.items = list(records_request.items.all()) if records_request is not None else []
        for item in self.items:
            self._add_item_fields(item, law_exemptions)
        replies = Communication.objects.none()
        if records_request is not None:
            replies = Communication.objects.filter(
                request=records_request, direction=Direction.INCOMING
            ).order_by("-sent_at", "-pk")
        self.fields["communication"].queryset = replies
        if not self.is_bound and "communication" not in self.initial:
            # The newest reply no determination answers yet: what is usually being recorded.
            unanswered = replies.filter(determinations__isnull=True).first()
            self.initial["communication"] = unanswered.pk if unanswered else None

    def _add_item_fields(self, item, exemptions) -> None:
        prefix = f"item_{item.number}"
        self.fields[prefix] = forms.ChoiceField(
            label=f"{item.number}. {item.text[:160]}",
            choices=[("", "As the determination says"), *ItemOutcome.choices],
            required=False,
        )
        self.fields[f"{prefix}_exemption"] = IdChoiceField(
            label="Exemption cited for it",
            queryset=exemptions,
            required=False,
            empty_label="None cited",
        )
        self.fields[f"{prefix}_promised"] = DayField(
            label="Promised by", widget=DATE, required=False
        )

    @property
    def itemized_kinds(self) -> str:
        """The kinds whose answer is recorded item by item, as the page's data-kinds."""
        return " ".join(item_rules.ITEMIZED_KINDS)

    def item_rows(self) -> list[tuple]:
        """(item, outcome field, exemption field, promised-by field) per numbered item."""
        return [
            (
                item,
                self[f"item_{item.number}"],
                self[f"item_{item.number}_exemption"],
                self[f"item_{item.number}_promised"],
            )
            for item in self.items
        ]

    def kind_groups(self) -> list[tuple[str, str, list]]:
        """The page's fields, grouped by the kinds that use them: (kinds as "a b", their
        labels, fields); the fields every kind has first (kinds ""), the notes last. The
        items' fields are not among them: `item_rows` lays them out."""
        groups: dict[tuple[str, ...], list] = {(): []}
        for field in self.visible_fields():
            if field.name.startswith("item_"):
                continue
            groups.setdefault(DETERMINATION_KIND_FIELDS.get(field.name, ()), []).append(field)
        common = groups.pop(())
        rows = [("", "", [f for f in common if f.name != "notes"])]
        for kinds, fields in groups.items():
            labels = ", ".join(DeterminationKind(k).label.lower() for k in kinds)
            rows.append((" ".join(kinds), labels, fields))
        rows.append(("", "", [f for f in common if f.name == "notes"]))
        return rows

    def clean_response_date(self):
        return _not_future(self.cleaned_data.get("response_date"))

    def clean_agency_received_on(self):
        return _not_future(self.cleaned_data.get("agency_received_on"))

    def clean_more_officials(self):
        officials, problems = [], []
        for number, line in enumerate(self.cleaned_data.get("more_officials", "").splitlines(), 1):
            if not line.strip():
                continue
            name, _, title = (part.strip() for part in line.partition(","))
            if not name:
                problems.append(f"Line {number}: give the name first, then a comma and the title.")
            officials.append((name, title))
        if problems:
            raise forms.ValidationError(problems)
        return officials

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        for name, kinds in DETERMINATION_KIND_FIELDS.items():
            if kind and kind not in kinds and name in data:
                data[name] = _empty_value(self.fields[name])
        if kind == DeterminationKind.FEE_ESTIMATE and data.get("fee_amount") is None:
            self.add_error("fee_amount", "Give the fee the agency asks for.")
        if kind == DeterminationKind.EXTENSION and not data.get("extension_ground"):
            self.add_error(
                "extension_ground", "Say which reason the notice gives, or that it gives none."
            )
        data["item_outcomes"] = self._item_outcomes(data, kind)
        return data

    def _item_outcomes(self, data: dict, kind: str | None) -> list[item_rules.OutcomeInput]:
        """The items' outcomes, for a kind that answers item by item; the per-item fields
        leave cleaned_data, which the service takes as `item_outcomes`."""
        outcomes = []
        for item in self.items:
            prefix = f"item_{item.number}"
            outcome = data.pop(prefix, "")
            exemption = data.pop(f"{prefix}_exemption", None)
            promised = data.pop(f"{prefix}_promised", None)
            if not outcome or kind not in item_rules.ITEMIZED_KINDS:
                continue
            if outcome == ItemOutcome.PROMISED and promised is None:
                promised = data.get("promised_date")
                if promised is None:
                    self.add_error(f"{prefix}_promised", "Give the date it is promised by.")
            outcomes.append(
                item_rules.OutcomeInput(
                    number=item.number,
                    outcome=outcome,
                    exemption_id=exemption.pk if exemption else None,
                    promised_on=promised,
                )
            )
        return outcomes


class NoteForm(Form):
    body = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}))
    is_private = forms.BooleanField(
        label="Only for me (never shown on public pages)", required=False, initial=True
    )


class VisibilityForm(Form):
    visibility = forms.ChoiceField(
        label="Who can see this request", choices=Visibility.choices, widget=forms.RadioSelect
    )
    embargo_until = DayField(
        label="Public from", widget=DATE, required=False, help_text="For an embargo."
    )

    def clean(self):
        data = super().clean()
        embargoed = data.get("visibility") == Visibility.EMBARGOED
        if embargoed and not data.get("embargo_until") and "embargo_until" not in self.errors:
            self.add_error("embargo_until", "Give the date the embargo ends.")
        return data


class WithdrawForm(Form):
    reason = forms.CharField(label="Reason (optional)", max_length=300, required=False)


class CloseForm(Form):
    reason = forms.CharField(
        label="Note (optional)",
        max_length=300,
        required=False,
        help_text="For example: records received; not contesting the denial.",
    )


class AnswerForm(Form):
    answered_on = DayField(label="Date you answered", widget=DATE)
    body = forms.CharField(
        label="What you told the agency",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Your clarification, or your answer to the fee estimate.",
    )

    def clean_answered_on(self):
        return _not_future(self.cleaned_data.get("answered_on"))
