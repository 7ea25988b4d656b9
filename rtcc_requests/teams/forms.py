from django import forms

from rtcc_requests.accounts.models import Role
from rtcc_requests.requests.forms import Form


class OrganizationForm(Form):
    name = forms.CharField(max_length=150)
    letterhead = forms.CharField(
        label="Name on letters",
        max_length=150,
        required=False,
        help_text="Signs the organization's letters under the member's name (default: name).",
    )


class InvitationForm(Form):
    email = forms.EmailField(help_text="The link works only for the account with this address.")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.VIEWER, widget=forms.RadioSelect)


class RoleForm(Form):
    role = forms.ChoiceField(choices=Role.choices)
