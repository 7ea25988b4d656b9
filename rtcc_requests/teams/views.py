"""Organizations' pages: yours, a new one, its members (invite, change a role, remove,
leave), and accepting an invitation. The rules are accounts.organizations'; the invitation
email goes through the outbox like every email."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from rtcc_requests.accounts import organizations
from rtcc_requests.accounts.models import Membership, Organization, Role
from rtcc_requests.outbox.services import outbox_enqueue
from rtcc_requests.requests.models import RecordsRequest

from .forms import InvitationForm, OrganizationForm, RoleForm


def _member_or_404(request: HttpRequest, slug: str) -> tuple[Organization, Membership | None]:
    """The organization and the viewer's membership; a 404 to anyone else but staff."""
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        raise Http404("No such organization.")
    membership = organizations.memberships_of(request.user).filter(organization=organization)
    membership = membership.first()
    if membership is None and not request.user.is_staff:
        raise Http404("No such organization.")
    return organization, membership


@login_required
@require_http_methods(["GET", "POST"])
def organization_list(request: HttpRequest) -> HttpResponse:
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = organizations.organization_create(
                name=form.cleaned_data["name"],
                letterhead=form.cleaned_data["letterhead"],
                creator=request.user,
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, f"{organization.name} created; you are its admin.")
            return redirect("teams:detail", slug=organization.slug)
    mine = organizations.memberships_of(request.user).select_related("organization")
    return render(request, "teams/list.html", {"memberships": mine, "form": form})


@login_required
def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organization, mine = _member_or_404(request, slug)
    is_admin = request.user.is_staff or (mine is not None and mine.role == Role.ADMIN)
    members = organization.memberships.select_related("user__profile").order_by("user__username")
    return render(
        request,
        "teams/detail.html",
        {
            "organization": organization,
            "mine": mine,
            "is_admin": is_admin,
            "members": [
                (m, RoleForm(initial={"role": m.role}, auto_id=f"m{m.pk}-%s")) for m in members
            ],
            "invitations": organization.invitations.filter(accepted_at=None),
            "events": organization.events.all()[:50],
            "invite_form": InvitationForm(),
            "requests": RecordsRequest.objects.filter(organization=organization)
            .select_related("agency")
            .order_by("-created_at")[:50],
        },
    )


@login_required
@require_POST
def invitation_send(request: HttpRequest, slug: str) -> HttpResponse:
    organization, _mine = _member_or_404(request, slug)
    organizations.require_admin(organization, request.user)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("teams:detail", slug=slug)
    try:
        invitation = organizations.invitation_create(
            organization=organization,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            actor=request.user,
        )
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("teams:detail", slug=slug)
    link = settings.SITE_URL + reverse("teams:accept", kwargs={"token": invitation.token})
    inviter = request.user.profile.signature_name or "A member"
    outbox_enqueue(
        key=f"invitation-{invitation.pk}",
        to=[invitation.email],
        subject=f"Join {organization.name} on rtcc-requests",
        body_text=(
            f"{inviter} invites you to join {organization.name} on rtcc-requests as "
            f"{Role(invitation.role).label.split(':')[0].lower()}.\n\n"
            f"Accept (sign in or sign up with {invitation.email} first):\n{link}\n\n"
            f"The link works until {invitation.expires_at:%-d %B %Y}."
        ),
        user=request.user,
    )
    messages.success(request, f"Invitation sent to {invitation.email}.")
    return redirect("teams:detail", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            membership = organizations.invitation_accept(token=token, user=request.user)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
            return redirect("teams:list")
        messages.success(request, f"You joined {membership.organization.name}.")
        return redirect("teams:detail", slug=membership.organization.slug)
    invitation = organizations.open_invitation(token=token)
    return render(request, "teams/accept.html", {"invitation": invitation, "token": token})


@login_required
@require_POST
def membership_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organization, _mine = _member_or_404(request, slug)
    membership = organization.memberships.filter(pk=pk).first()
    form = RoleForm(request.POST)
    if membership is None or not form.is_valid():
        messages.error(request, "Choose a member and a role.")
        return redirect("teams:detail", slug=slug)
    try:
        organizations.membership_set_role(
            membership=membership, role=form.cleaned_data["role"], actor=request.user
        )
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, f"{membership.user.get_username()} is now {membership.role}.")
    return redirect("teams:detail", slug=slug)


@login_required
@require_POST
def membership_end(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organization, _mine = _member_or_404(request, slug)
    membership = organization.memberships.filter(pk=pk).first()
    if membership is None:
        raise Http404("No such member.")
    leaving = membership.user_id == request.user.pk
    try:
        organizations.membership_end(membership=membership, actor=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("teams:detail", slug=slug)
    if leaving:
        messages.success(request, f"You left {organization.name}.")
        return redirect("teams:list")
    messages.success(request, f"{membership.user.get_username()} no longer has access.")
    return redirect("teams:detail", slug=slug)
