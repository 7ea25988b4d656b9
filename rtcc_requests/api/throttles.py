"""Rate limits per client address (anonymous) and per account (a token or a session), with
the one reading of a client's address behind proxies (accounts.lockout.client_ip)."""

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from rtcc_requests.accounts.lockout import client_ip


class AnonThrottle(AnonRateThrottle):
    def get_ident(self, request) -> str:
        return client_ip(request) or ""


class UserThrottle(UserRateThrottle):
    def get_ident(self, request) -> str:
        return client_ip(request) or ""
