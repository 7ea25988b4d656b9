"""The form a signed-in user proposes an agency with; `services.propose_agency` checks it."""

from django import forms

from .models import AgencyKind

# USPS codes of the states, DC and the territories; "US" is a federal agency (FOIA).
STATES = [
    ("AL", "Alabama"), ("AK", "Alaska"), ("AZ", "Arizona"), ("AR", "Arkansas"),
    ("CA", "California"), ("CO", "Colorado"), ("CT", "Connecticut"), ("DE", "Delaware"),
    ("DC", "District of Columbia"), ("FL", "Florida"), ("GA", "Georgia"), ("HI", "Hawaii"),
    ("ID", "Idaho"), ("IL", "Illinois"), ("IN", "Indiana"), ("IA", "Iowa"), ("KS", "Kansas"),
    ("KY", "Kentucky"), ("LA", "Louisiana"), ("ME", "Maine"), ("MD", "Maryland"),
    ("MA", "Massachusetts"), ("MI", "Michigan"), ("MN", "Minnesota"), ("MS", "Mississippi"),
    ("MO", "Missouri"), ("MT", "Montana"), ("NE", "Nebraska"), ("NV", "Nevada"),
    ("NH", "New Hampshire"), ("NJ", "New Jersey"), ("NM", "New Mexico"), ("NY", "New York"),
    ("NC", "North Carolina"), ("ND", "North Dakota"), ("OH", "Ohio"), ("OK", "Oklahoma"),
    ("OR", "Oregon"), ("PA", "Pennsylvania"), ("RI", "Rhode Island"),
    ("SC", "South Carolina"), ("SD", "South Dakota"), ("TN", "Tennessee"), ("TX", "Texas"),
    ("UT", "Utah"), ("VT", "Vermont"), ("VA", "Virginia"), ("WA", "Washington"),
    ("WV", "West Virginia"), ("WI", "Wisconsin"), ("WY", "Wyoming"),
    ("AS", "American Samoa"), ("GU", "Guam"), ("MP", "Northern Mariana Islands"),
    ("PR", "Puerto Rico"), ("VI", "U.S. Virgin Islands"), ("US", "Federal agency (FOIA)"),
]  # fmt: skip


class AgencyProposalForm(forms.Form):
    name = forms.CharField(
        label="Agency name",
        max_length=200,
        help_text="Its full name, e.g. “Los Angeles Police Department”.",
    )
    kind = forms.ChoiceField(label="Kind of agency", choices=AgencyKind.choices)
    state = forms.ChoiceField(choices=STATES, initial="CA")
    city = forms.CharField(max_length=100, required=False)
    county = forms.CharField(max_length=100, required=False)
    records_email = forms.EmailField(
        label="Records-request email",
        required=False,
        help_text="Where public records requests go. An email or a portal is needed.",
    )
    portal_url = forms.URLField(
        label="Records portal",
        required=False,
        assume_scheme="https",
        help_text="The web address of its online request portal (e.g. NextRequest, GovQA).",
    )
    records_office = forms.CharField(
        label="Records office",
        max_length=150,
        required=False,
        help_text="Who letters are addressed to, e.g. “Records Division”.",
    )
    mailing_address = forms.CharField(
        label="Postal address", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    phone = forms.CharField(max_length=40, required=False)
    website = forms.URLField(required=False, assume_scheme="https")

    def __init__(self, *args, **kwargs):
        # "Agency name", not "Agency name:": labels read as questions, not as a ledger.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class PostingCheckForm(forms.Form):
    """What someone found looking for a document the agency must publish."""

    checklist_item = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    found = forms.TypedChoiceField(
        label="What you found",
        choices=[("yes", "It is posted at this address"), ("no", "It is not posted")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    url = forms.URLField(label="Address", max_length=500, required=False, assume_scheme="https")
    checked_on = forms.DateField(
        label="Day you looked", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
