"""Sign-up and profile pages; log-in and password reset are Django's views with our templates."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from .forms import ProfileForm, SignUpForm
from .services import account_sign_up, profile_update


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("pages:home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = account_sign_up(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            display_name=form.cleaned_data["display_name"],
            organization=form.cleaned_data["organization"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.get_username()}. Your account is ready.")
        return redirect("pages:home")
    return render(request, "registration/sign_up.html", {"form": form})


def calendar_feed_url(token: str) -> str:
    """The subscription address; absolute, because calendar apps fetch it on their own."""
    path = reverse("reminders:calendar_feed", kwargs={"token": token})
    return f"{settings.SITE_URL}{path}"


def calendar_subscribe_url(feed_url: str) -> str:
    """The same address as a webcal:// link: one click subscribes in most calendar apps."""
    return "webcal://" + feed_url.split("://", 1)[-1]


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user_profile = request.user.profile
    form = ProfileForm(request.POST or None, instance=user_profile)
    if request.method == "POST" and form.is_valid():
        profile_update(profile=user_profile, **form.cleaned_data)
        messages.success(request, "Your profile is saved.")
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "feed_url": calendar_feed_url(user_profile.calendar_token),
            "subscribe_url": calendar_subscribe_url(calendar_feed_url(user_profile.calendar_token)),
            "calendar_reset_url": reverse("reminders:calendar_reset"),
        },
    )
