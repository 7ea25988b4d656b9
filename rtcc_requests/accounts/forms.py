"""Sign-up and profile forms: validation here, writes in services.py."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

from .models import Profile

User = get_user_model()


class SignUpForm(UserCreationForm):
    field_order = ("username", "display_name", "organization", "email", "password1", "password2")

    display_name = forms.CharField(
        label="Your name",
        max_length=150,
        help_text="Your letters are signed with it (not with your username). You can change "
        "it in your profile.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    organization = forms.CharField(
        max_length=150,
        required=False,
        help_text="Optional: the newsroom or group you write for, under your signature.",
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    email = forms.EmailField(
        help_text="Password resets and deadline reminders go here.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        # One account per address, or a password reset would reach the wrong person.
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account already uses this email address. Log in, or reset its password."
            )
        return email


class ProfileForm(forms.ModelForm):
    notice_days = forms.IntegerField(
        label="Days of notice before a deadline",
        min_value=0,
        max_value=30,
        help_text="From 0 (on the day) to 30.",
    )

    class Meta:
        model = Profile
        fields = [
            "display_name",
            "organization",
            "mailing_address",
            "phone",
            "notify_mode",
            "notice_days",
        ]
        widgets = {
            "mailing_address": forms.Textarea(attrs={"rows": 4}),
            "notify_mode": forms.RadioSelect,
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }
        help_texts = {
            "display_name": "How your name appears at the foot of your letters.",
            "mailing_address": "Printed on letters; agencies may mail records here.",
        }
