"""Organizations: who belongs to which, in what role, and how one joins (an invitation for
an email address that expires). Access is read from memberships on every request, so
leaving or being removed takes it away at once. The invitation's email is the caller's to
send (accounts sits below the outbox's row; teams/ sends it through the outbox)."""

import re
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify

from rtcc_requests.common.text import single_line

from .models import (
    CHANGING_ROLES,
    Invitation,
    Membership,
    Organization,
    OrganizationEvent,
    Role,
)

INVITATION_DAYS = 14
# What new_invitation_token makes (URL-safe base64); anything else names no invitation and
# never reaches the database (a NUL in it is an error in PostgreSQL, not a miss).
_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _invitation_token(token: str) -> str | None:
    return token if isinstance(token, str) and _TOKEN.fullmatch(token) else None


def memberships_of(user) -> QuerySet[Membership]:
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return Membership.objects.filter(user=user)


def organization_ids_of(user, *, changing: bool = False) -> QuerySet:
    """The ids of the user's organizations (as a subquery); `changing`: only those where the
    user's role may change requests."""
    memberships = memberships_of(user)
    if changing:
        memberships = memberships.filter(role__in=CHANGING_ROLES)
    return memberships.values("organization_id")


def role_in(user, organization_id: int | None) -> str | None:
    if organization_id is None or not getattr(user, "is_authenticated", False):
        return None
    return (
        Membership.objects.filter(user=user, organization_id=organization_id)
        .values_list("role", flat=True)
        .first()
    )


def changes_for(user, organization_id: int | None) -> bool:
    """Whether the user's role in this organization may change its requests and campaigns
    (file them, record answers, send letters): its editors and admins."""
    return role_in(user, organization_id) in CHANGING_ROLES


def _name(user) -> str:
    profile = getattr(user, "profile", None)
    return (profile.signature_name if profile else "") or user.get_username()


def _log(organization: Organization, actor, message: str) -> None:
    OrganizationEvent.objects.create(organization=organization, actor=actor, message=message[:300])


def require_admin(organization: Organization, actor) -> None:
    if not (actor.is_staff or role_in(actor, organization.pk) == Role.ADMIN):
        raise PermissionDenied("Only the organization's admins can do this.")


def organization_create(*, name: str, creator, letterhead: str = "") -> Organization:
    """A new organization, its creator its first admin."""
    name = single_line(name)
    if not name:
        raise ValidationError("Give the organization's name.")
    base = slugify(name)[:140] or "organization"
    with transaction.atomic():
        slug, n = base, 1
        while Organization.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        organization = Organization.objects.create(
            name=name, slug=slug, letterhead=single_line(letterhead)
        )
        Membership.objects.create(organization=organization, user=creator, role=Role.ADMIN)
        _log(organization, creator, f"{_name(creator)} created the organization.")
    return organization


def invitation_create(*, organization: Organization, email: str, role: str, actor) -> Invitation:
    require_admin(organization, actor)
    email = email.strip().lower()
    validate_email(email)
    if role not in Role.values:
        raise ValidationError(f"Unknown role {role!r}.")
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise ValidationError(f"{email} is already a member.")
    with transaction.atomic():
        invitation = Invitation.objects.create(
            organization=organization,
            email=email,
            role=role,
            invited_by=actor,
            expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        )
        _log(organization, actor, f"{_name(actor)} invited {email} as {role}.")
    return invitation


def invitation_accept(*, token: str, user) -> Membership:
    """Join with the invitation's role, if it is for this account's email and still open."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("organization")
            .filter(token=_invitation_token(token))
            .first()
        )
        if invitation is None or invitation.accepted_at is not None:
            raise ValidationError("This invitation does not exist or has been used.")
        if invitation.expires_at <= timezone.now():
            raise ValidationError("This invitation has expired: ask for a new one.")
        if invitation.email.lower() != (user.email or "").lower():
            raise ValidationError(
                f"This invitation is for {invitation.email}; you are signed in with another "
                "address."
            )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        try:
            membership, _ = Membership.objects.get_or_create(
                organization=invitation.organization,
                user=user,
                defaults={"role": invitation.role},
            )
        except IntegrityError as race:
            raise ValidationError("You are already a member.") from race
        _log(invitation.organization, user, f"{_name(user)} joined as {membership.role}.")
    return membership


def _keeps_an_admin(organization: Organization, *, leaving: Membership) -> bool:
    if leaving.role != Role.ADMIN:
        return True
    return (
        Membership.objects.filter(organization=organization, role=Role.ADMIN)
        .exclude(pk=leaving.pk)
        .exists()
    )


def membership_set_role(*, membership: Membership, role: str, actor) -> Membership:
    require_admin(membership.organization, actor)
    if role not in Role.values:
        raise ValidationError(f"Unknown role {role!r}.")
    if role != Role.ADMIN and not _keeps_an_admin(membership.organization, leaving=membership):
        raise ValidationError("The organization needs at least one admin.")
    with transaction.atomic():
        membership.role = role
        membership.save(update_fields=["role"])
        _log(
            membership.organization,
            actor,
            f"{_name(actor)} made {_name(membership.user)} {role}.",
        )
    return membership


def membership_end(*, membership: Membership, actor) -> None:
    """A member leaves (actor is the member) or an admin removes them: at once."""
    if actor.pk != membership.user_id:
        require_admin(membership.organization, actor)
    if not _keeps_an_admin(membership.organization, leaving=membership):
        raise ValidationError("The organization needs at least one admin: name another first.")
    member = _name(membership.user)
    with transaction.atomic():
        membership.delete()
        if actor.pk == membership.user_id:
            _log(membership.organization, actor, f"{member} left.")
        else:
            _log(membership.organization, actor, f"{_name(actor)} removed {member}.")


def open_invitation(*, token: str) -> Invitation | None:
    """The invitation if it can still be accepted (for the page that offers to)."""
    token = _invitation_token(token)
    if token is None:
        return None
    invitation = Invitation.objects.select_related("organization").filter(token=token).first()
    if invitation is None or invitation.accepted_at or invitation.expires_at <= timezone.now():
        return None
    return invitation
