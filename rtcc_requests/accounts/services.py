"""Writes for accounts: sign-up and profile changes, one transaction each."""

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import NotifyMode, Profile

User = get_user_model()


def account_sign_up(
    *, username: str, email: str, password: str, display_name: str = "", organization: str = ""
):
    """Create the user and its profile (the post_save signal makes the profile), with the
    name and organization the user's letters are signed with."""
    with transaction.atomic():
        user = User.objects.create_user(username=username, email=email, password=password)
        Profile.objects.filter(user=user).update(
            display_name=display_name.strip(), organization=organization.strip()
        )
        user.profile.refresh_from_db()
        return user


def profile_update(
    *,
    profile: Profile,
    display_name: str,
    organization: str,
    mailing_address: str,
    phone: str,
    notify_mode: str,
    notice_days: int,
) -> Profile:
    if notify_mode not in NotifyMode.values:
        raise ValueError(f"Unknown reminder mode {notify_mode!r}.")
    if not 0 <= notice_days <= 30:
        raise ValueError("Days of notice must be between 0 and 30.")
    with transaction.atomic():
        profile.display_name = display_name.strip()
        profile.organization = organization.strip()
        profile.mailing_address = mailing_address.strip()
        profile.phone = phone.strip()
        profile.notify_mode = notify_mode
        profile.notice_days = notice_days
        profile.save(
            update_fields=[
                "display_name",
                "organization",
                "mailing_address",
                "phone",
                "notify_mode",
                "notice_days",
            ]
        )
    return profile
