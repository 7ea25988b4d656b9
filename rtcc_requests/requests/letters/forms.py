"""The follow-up and challenge letter forms: the text as edited, and how it went if not by us."""

from django import forms

from rtcc_requests.requests.choices import FilingMethod
from rtcc_requests.requests.forms import DATE, DayField, Form

# Not by this app's email, and in writing: an oral "letter" is not a letter.
SENT_ANOTHER_WAY = [
    c for c in FilingMethod.choices if c[0] not in (FilingMethod.EMAIL, FilingMethod.ORAL)
]


class LetterDraftForm(Form):
    """`action` is the button pressed: "save" (keep the draft), "send" (email it) or
    "record" (it was sent another way, which then needs the method and the date)."""

    body = forms.CharField(
        label="Letter",
        widget=forms.Textarea(attrs={"rows": 22}),
        help_text="Drafted for you from the request's record; edit it as you like.",
    )
    method = forms.ChoiceField(
        label="How you sent it",
        choices=[("", "Choose"), *SENT_ANOTHER_WAY],
        required=False,
    )
    sent_on = DayField(label="Date sent", widget=DATE, required=False)

    def __init__(self, *args, action: str = "save", **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action

    def clean(self):
        data = super().clean()
        if self.action == "record":
            if not data.get("method") and "method" not in self.errors:
                self.add_error("method", "Say how you sent the letter.")
            if not data.get("sent_on") and "sent_on" not in self.errors:
                self.add_error("sent_on", "Give the date you sent it.")
        return data
