"""Sign-in throttling (django-axes): repeated failures lock the username and the address."""

import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from freezegun import freeze_time

from rtcc_requests.accounts.lockout import client_ip
from tests import factories
from tests.support.html import unlabelled_controls

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
HOME = "198.51.100.7"
LOCKED = "Too many failed sign-ins; try again in 15 minutes."


def _sign_in(client, username, password=PASSWORD, *, address=HOME, url=None):
    return client.post(
        url or reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def _fail(client, username, times=None, *, address=HOME):
    for _ in range(times or settings.AXES_FAILURE_LIMIT):
        _sign_in(client, username, "wrong password", address=address)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _assert_locked_out(response) -> None:
    assert response.status_code == 429
    assert LOCKED in response.content.decode()


@pytest.fixture
def alice(db):
    return factories.UserFactory(username="alice")


@pytest.fixture
def bob(db):
    return factories.UserFactory(username="bob")


class TestLockout:
    def test_the_limit_is_five_failures_and_the_cool_off_fifteen_minutes(self):
        limits = (settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME)
        assert limits == (5, timedelta(minutes=15))

    def test_forty_wrong_passwords_then_the_right_one_is_refused(self, client, alice):
        _fail(client, "alice", times=40)

        response = _sign_in(client, "alice")

        _assert_locked_out(response)
        assert not _signed_in(client)

    def test_fewer_failures_than_the_limit_let_the_right_password_in(self, client, alice):
        _fail(client, "alice", times=settings.AXES_FAILURE_LIMIT - 1)

        response = _sign_in(client, "alice")

        assert response.status_code == 302
        assert _signed_in(client)

    def test_the_lockout_page_is_ours_and_says_what_to_do(self, client, alice):
        _fail(client, "alice")

        response = _sign_in(client, "alice")

        assert "accounts/lockout.html" in [t.name for t in response.templates]
        html = response.content.decode()
        assert "<h1>Too many failed sign-ins</h1>" in html
        assert reverse("accounts:password_reset") in html
        assert unlabelled_controls(html) == []  # parses as strict HTML, every control labelled

    def test_the_address_is_locked_for_every_username(self, client, alice, bob):
        _fail(client, "alice", address=HOME)

        _assert_locked_out(_sign_in(client, "bob", address=HOME))

    def test_the_username_is_locked_from_every_address(self, client, alice):
        # A distributed attack: one guess per address, all at one account.
        for n in range(settings.AXES_FAILURE_LIMIT):
            _sign_in(client, "alice", "wrong password", address=f"203.0.113.{n + 1}")

        _assert_locked_out(_sign_in(client, "alice", address="192.0.2.99"))

    def test_another_username_from_another_address_still_signs_in(self, client, alice, bob):
        _fail(client, "alice", address=HOME)

        response = _sign_in(client, "bob", address="192.0.2.99")

        assert response.status_code == 302
        assert _signed_in(client)

    def test_the_admin_login_is_locked_too(self, client, alice):
        staff = factories.UserFactory(username="clerk", is_staff=True)
        _fail(client, staff.username)

        response = _sign_in(client, staff.username, url=reverse("admin:login"))

        _assert_locked_out(response)
        assert not _signed_in(client)

    def test_the_lockout_holds_across_two_clients(self, alice):
        # Two browsers (or two processes reading one cache): the count is in the cache, not
        # in either session.
        attacker, victim = Client(), Client()
        _fail(attacker, "alice")

        _assert_locked_out(_sign_in(victim, "alice", address="192.0.2.99"))
        assert not _signed_in(victim)


class TestUnlocking:
    def test_an_administrator_unlocks_a_username_at_once(self, client, alice):
        _fail(client, "alice")

        call_command("axes_reset_username", "alice", stdout=io.StringIO())

        assert _sign_in(client, "alice", address="192.0.2.99").status_code == 302

    def test_an_administrator_unlocks_an_address_at_once(self, client, alice, bob):
        _fail(client, "alice")

        call_command("axes_reset_ip", HOME, stdout=io.StringIO())

        assert _sign_in(client, "bob").status_code == 302
        _assert_locked_out(_sign_in(Client(), "alice", address="192.0.2.99"))


class TestCoolOff:
    @pytest.fixture(autouse=True)
    def memory_cache(self, settings):
        """The clock of a local-memory cache is the one freezegun moves (Redis keeps its own)."""
        from axes.handlers.proxy import AxesProxyHandler

        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
        AxesProxyHandler.get_implementation(force=True)
        yield
        AxesProxyHandler.implementation = None

    def test_the_right_password_works_after_fifteen_minutes(self, client, alice):
        with freeze_time("2026-11-26 10:00:00") as clock:
            _fail(client, "alice")
            clock.tick(timedelta(minutes=15, seconds=1))

            response = _sign_in(client, "alice")

        assert response.status_code == 302
        assert _signed_in(client)

    def test_trying_again_during_the_lockout_starts_the_cool_off_again(self, client, alice):
        with freeze_time("2026-11-26 10:00:00") as clock:
            _fail(client, "alice")
            clock.tick(timedelta(minutes=10))
            _assert_locked_out(_sign_in(client, "alice"))
            clock.tick(timedelta(minutes=10))
            _assert_locked_out(_sign_in(client, "alice"))
            clock.tick(timedelta(minutes=15, seconds=1))

            assert _sign_in(client, "alice").status_code == 302


class TestClientAddress:
    """Behind N trusted proxies the client is the Nth address from the right of
    X-Forwarded-For: each proxy appends the address it got the request from, and everything
    to the left of what our own proxies wrote is whatever the client chose to send."""

    def _request(self, *, forwarded=None, remote="10.0.0.2"):
        meta = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            meta["HTTP_X_FORWARDED_FOR"] = forwarded
        return RequestFactory().post("/accounts/login/", **meta)

    def test_without_proxies_the_header_is_ignored(self, settings):
        settings.TRUSTED_PROXY_HOPS = 0
        assert client_ip(self._request(forwarded="192.0.2.1")) == "10.0.0.2"

    @pytest.mark.parametrize(
        ("proxies", "forwarded", "expected"),
        [
            (1, "203.0.113.5", "203.0.113.5"),
            (1, "192.0.2.1, 203.0.113.5", "203.0.113.5"),
            (2, "192.0.2.1, 203.0.113.5, 10.0.0.9", "203.0.113.5"),
            (1, "192.0.2.1,2001:db8::7", "2001:db8::7"),
        ],
    )
    def test_the_address_our_proxies_saw_is_the_client(
        self, settings, proxies, forwarded, expected
    ):
        settings.TRUSTED_PROXY_HOPS = proxies
        assert client_ip(self._request(forwarded=forwarded)) == expected

    @pytest.mark.parametrize("forwarded", [None, "", "not-an-address", "192.0.2.1, junk"])
    def test_a_missing_or_bad_header_falls_back_to_the_connection(self, settings, forwarded):
        settings.TRUSTED_PROXY_HOPS = 1
        assert client_ip(self._request(forwarded=forwarded)) == "10.0.0.2"

    def test_too_few_addresses_fall_back_to_the_connection(self, settings):
        settings.TRUSTED_PROXY_HOPS = 2
        assert client_ip(self._request(forwarded="203.0.113.5")) == "10.0.0.2"

    def test_a_client_cannot_escape_the_lockout_by_forging_the_header(
        self, settings, client, alice, bob
    ):
        settings.TRUSTED_PROXY_HOPS = 1
        for n in range(settings.AXES_FAILURE_LIMIT):
            client.post(
                reverse("accounts:login"),
                {"username": f"nobody{n}", "password": "wrong password"},
                HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.5",
                REMOTE_ADDR="10.0.0.2",
            )

        response = client.post(
            reverse("accounts:login"),
            {"username": "bob", "password": PASSWORD},
            HTTP_X_FORWARDED_FOR="192.0.2.200, 203.0.113.5",
            REMOTE_ADDR="10.0.0.2",
        )

        _assert_locked_out(response)
