"""Rate limits per client address (anonymous) and per account (a token or a session), with
the one reading of a client's address behind proxies (accounts.lockout.client_ip)."""

import time

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from rtcc_requests.accounts.lockout import client_ip


class _ReadsTheClockWhenAsked:
    """DRF keeps `timer = time.time` from the moment its module was imported: a test clock
    (freezegun) in place then would stay, bound as a method. Read the clock at each call."""

    def timer(self) -> float:
        return time.time()


class AnonThrottle(_ReadsTheClockWhenAsked, AnonRateThrottle):
    def get_ident(self, request) -> str:
        return client_ip(request) or ""


class UserThrottle(_ReadsTheClockWhenAsked, UserRateThrottle):
    def get_ident(self, request) -> str:
        return client_ip(request) or ""
