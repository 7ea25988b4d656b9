import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from rtcc_requests.accounts.models import Profile
from tests.support.html import assert_valid_and_labelled

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "correct-horse-battery"


def _logged_in_user(client) -> int | None:
    return client.session.get("_auth_user_id")


class TestSignUp:
    def test_page_is_valid_html_with_labels(self, client):
        assert_valid_and_labelled(client.get(reverse("accounts:sign_up")))

    def test_creates_the_account_logs_in_and_lands_on_the_dashboard(self, client):
        response = client.post(
            reverse("accounts:sign_up"),
            {
                "username": "reporter",
                "display_name": "Rosa Reporter",
                "organization": "Fresno Bee",
                "email": "reporter@example.org",
                "password1": "ten-four-ALPR-2026",
                "password2": "ten-four-ALPR-2026",
            },
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("pages:home")
        user = User.objects.get(username="reporter")
        assert user.email == "reporter@example.org"
        # The name and organization her letters are signed with, asked once, at sign-up.
        profile = Profile.objects.get(user=user)
        assert (profile.display_name, profile.organization) == ("Rosa Reporter", "Fresno Bee")
        assert profile.signature == "Rosa Reporter\nFresno Bee"
        assert _logged_in_user(client) == str(user.pk)
        assert "Your requests" in client.get("/").content.decode()

    def test_a_name_to_sign_letters_with_is_required(self, client):
        response = client.post(
            reverse("accounts:sign_up"),
            {
                "username": "reporter",
                "email": "reporter@example.org",
                "password1": "ten-four-ALPR-2026",
                "password2": "ten-four-ALPR-2026",
            },
        )
        assert response.status_code == 200
        assert not User.objects.filter(username="reporter").exists()
        assert "Your name" in response.content.decode()
        assert response.context["form"].errors["display_name"] == ["This field is required."]

    def test_mismatched_passwords_show_an_error_and_keep_what_was_typed(self, client):
        response = client.post(
            reverse("accounts:sign_up"),
            {
                "username": "reporter",
                "email": "reporter@example.org",
                "password1": "ten-four-ALPR-2026",
                "password2": "something-else-2026",
            },
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "The two password fields didn’t match." in html  # Django's own message
        assert 'value="reporter"' in html
        assert 'value="reporter@example.org"' in html
        assert not User.objects.filter(username="reporter").exists()
        assert_valid_and_labelled(response)

    def test_an_email_already_in_use_is_refused(self, client, user):
        response = client.post(
            reverse("accounts:sign_up"),
            {
                "username": "newcomer",
                "email": user.email.upper(),
                "password1": "ten-four-ALPR-2026",
                "password2": "ten-four-ALPR-2026",
            },
        )
        assert response.status_code == 200
        assert "already uses this email" in response.content.decode()
        assert not User.objects.filter(username="newcomer").exists()

    def test_a_logged_in_user_is_sent_to_the_dashboard(self, client, user):
        client.force_login(user)
        response = client.get(reverse("accounts:sign_up"))
        assert response.status_code == 302


class TestLogInOut:
    def test_login_page_is_valid_html_with_labels(self, client):
        response = client.get(reverse("accounts:login"))
        assert_valid_and_labelled(response)
        assert reverse("accounts:password_reset") in response.content.decode()

    def test_right_password_logs_in(self, client, user):
        response = client.post(
            reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
        )
        assert response.status_code == 302
        assert _logged_in_user(client) == str(user.pk)

    def test_wrong_password_shows_an_error_and_keeps_the_username(self, client, user):
        response = client.post(
            reverse("accounts:login"), {"username": user.username, "password": "nope"}
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "Please enter a correct username and password" in html
        assert f'value="{user.username}"' in html
        assert _logged_in_user(client) is None

    def test_logout_ends_the_session(self, client, user):
        client.force_login(user)
        response = client.post(reverse("accounts:logout"))
        assert response.status_code == 302
        assert _logged_in_user(client) is None


class TestPasswordReset:
    def test_the_emailed_link_sets_a_new_password(self, client, user, mailoutbox):
        assert_valid_and_labelled(client.get(reverse("accounts:password_reset")))
        response = client.post(reverse("accounts:password_reset"), {"email": user.email})
        assert response["Location"] == reverse("accounts:password_reset_done")
        assert len(mailoutbox) == 1
        message = mailoutbox[0]
        assert message.to == [user.email]
        link = re.search(r"https?://testserver(/accounts/password-reset/\S+/)", message.body)
        assert link, message.body

        # Django swaps the token for a session marker and redirects to the form.
        form_page = client.get(link.group(1), follow=True)
        assert "Choose a new password" in form_page.content.decode()
        assert_valid_and_labelled(form_page)
        done = client.post(
            form_page.redirect_chain[-1][0],
            {"new_password1": "brand-new-ALPR-77", "new_password2": "brand-new-ALPR-77"},
        )
        assert done["Location"] == reverse("accounts:password_reset_complete")
        user.refresh_from_db()
        assert user.check_password("brand-new-ALPR-77")

    def test_a_used_or_forged_link_says_so(self, client, user):
        response = client.get(
            reverse(
                "accounts:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "bad-token"}
            )
        )
        assert "no longer works" in response.content.decode()

    def test_an_unknown_address_sends_nothing_and_reveals_nothing(self, client, mailoutbox):
        response = client.post(reverse("accounts:password_reset"), {"email": "who@example.org"})
        assert response["Location"] == reverse("accounts:password_reset_done")
        assert mailoutbox == []


class TestProfile:
    url = "/accounts/profile/"

    def test_url_name(self):
        assert reverse("accounts:profile") == self.url

    def test_anonymous_is_sent_to_login(self, client):
        response = client.get(self.url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    def test_shows_own_profile_and_calendar_feed(self, client, user, other_user):
        client.force_login(user)
        response = client.get(self.url)
        html = response.content.decode()
        assert_valid_and_labelled(response)
        assert f"/calendar/{user.profile.calendar_token}.ics" in html
        assert other_user.profile.calendar_token not in html

    def test_offers_a_one_click_webcal_subscription(self, client, user, settings):
        settings.SITE_URL = "https://requests.example.org"
        client.force_login(user)
        html = client.get(self.url).content.decode()
        token = user.profile.calendar_token
        assert f'href="webcal://requests.example.org/calendar/{token}.ics"' in html

    def test_saves_every_field(self, client, user):
        client.force_login(user)
        response = client.post(
            self.url,
            {
                "display_name": "Ada Reporter",
                "organization": "Fresno Free Press",
                "mailing_address": "1 Main St\nFresno, CA 93721",
                "phone": "559-555-0100",
                "notify_mode": "digest",
                "notice_days": "5",
            },
        )
        assert response.status_code == 302
        profile = Profile.objects.get(user=user)
        assert profile.display_name == "Ada Reporter"
        assert profile.organization == "Fresno Free Press"
        assert profile.mailing_address == "1 Main St\nFresno, CA 93721"
        assert profile.phone == "559-555-0100"
        assert (profile.notify_mode, profile.notice_days) == ("digest", 5)
        assert "Your profile is saved" in client.get(self.url).content.decode()

    @pytest.mark.parametrize(
        ("notify_mode", "notice_days", "error"),
        [
            ("each", "31", "less than or equal to 30"),
            ("each", "-1", "greater than or equal to 0"),
            ("loud", "2", "Select a valid choice"),
        ],
    )
    def test_bad_input_shows_an_error_and_keeps_the_rest(
        self, client, user, notify_mode, notice_days, error
    ):
        client.force_login(user)
        response = client.post(
            self.url,
            {
                "display_name": "Ada Reporter",
                "organization": "Fresno Free Press",
                "mailing_address": "",
                "phone": "",
                "notify_mode": notify_mode,
                "notice_days": notice_days,
            },
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert error in html
        assert 'value="Ada Reporter"' in html
        assert_valid_and_labelled(response)
        assert Profile.objects.get(user=user).display_name == ""

    def test_reset_button_gives_a_new_feed_address(self, client, user):
        client.force_login(user)
        old = user.profile.calendar_token
        html = client.get(self.url).content.decode()
        assert f'action="{reverse("reminders:calendar_reset")}"' in html
        assert f"/calendar/{old}.ics" in html
        client.post(reverse("reminders:calendar_reset"))
        user.profile.refresh_from_db()
        assert user.profile.calendar_token != old
        assert f"/calendar/{old}.ics" not in client.get(self.url).content.decode()
