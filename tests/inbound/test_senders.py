"""The From header read strictly, and the mail server's Authentication-Results (no database)."""

from email import policy
from email.parser import BytesParser

import pytest

from rtcc_requests.inbound.senders import (
    authentication_verdict,
    parse_authentication_results,
    strict_from,
    trusted_results,
)

AGENCY = {"fresno.example"}


def headers(text: str):
    return BytesParser(policy=policy.default).parsebytes(text.encode() + b"\r\n\r\nHi")


def from_(value: str) -> tuple[str, str]:
    return strict_from(headers(f"From: {value}"))


class TestStrictFrom:
    @pytest.mark.parametrize(
        ("value", "address"),
        [
            ("records@fresno.example", "records@fresno.example"),
            ('"Fresno PD Records Unit" <Records@Fresno.example>', "records@fresno.example"),
            ("=?iso-8859-1?Q?Jos=E9_Pe=F1a?= <jpena@fresno.example>", "jpena@fresno.example"),
            ('"records@fresno.example" <x@fresno.example>', "x@fresno.example"),  # quoted
            ("John (Records Unit) <j@fresno.example>", "j@fresno.example"),
            ("j@fresno.example (John)", "j@fresno.example"),
            ('"O\'Brien \\"Bob\\"" <b@fresno.example>', "b@fresno.example"),
            ("Records\r\n Unit <records@fresno.example>", "records@fresno.example"),  # folded
        ],
    )
    def test_one_address_read_one_way_is_the_sender(self, value, address):
        assert from_(value) == (address, "")

    @pytest.mark.parametrize(
        ("value", "why"),
        [
            # CVE-2023-27043: parseaddr reads clerk@fresno.example, a mail client the other.
            ("clerk@fresno.example)<attacker@evil.example>", "malformed"),
            ("records@fresno.example <attacker@evil.example>", "malformed"),
            ("<attacker@evil.example> records@fresno.example", "malformed"),
            ("Alice <records@fresno.example>attacker@evil.example", "malformed"),
            ('"records@fresno.example" <attacker@evil.example', "malformed"),
            ("records@fresno.example, attacker@evil.example", "2 addresses"),
            ("records: records@fresno.example;", "group"),
            ("Bob <@relay.example:records@fresno.example>", "malformed"),
            ("records@fresno.example (unclosed", "malformed"),
            ("", "no addresses"),
        ],
    )
    def test_anything_that_reads_another_way_is_refused_with_the_reason(self, value, why):
        address, problem = from_(value)
        assert address == ""
        assert why in problem

    def test_the_reason_says_how_the_lenient_parser_reads_it(self):
        _, problem = from_("clerk@fresno.example)<attacker@evil.example>")
        assert "a lenient parser reads it as 'clerk@fresno.example', 'attacker@evil.example'" in (
            problem
        )

    def test_two_from_headers_are_refused(self):
        message = headers("From: records@fresno.example\r\nFrom: attacker@evil.example")
        assert strict_from(message) == ("", "the message has 2 From headers")

    def test_no_from_header_is_no_sender_not_an_ambiguous_one(self):
        assert strict_from(headers("Subject: hi")) == ("", "")

    def test_a_raw_utf8_display_name_is_not_ambiguous(self):
        message = BytesParser(policy=policy.default).parsebytes(
            b"From: Jos\xc3\xa9 Pe\xc3\xb1a <jpena@fresno.example>\r\n\r\nHi"
        )
        assert strict_from(message) == ("jpena@fresno.example", "")


class TestAuthenticationResults:
    def test_reads_methods_results_and_properties_around_comments_and_quotes(self):
        results = parse_authentication_results(
            "mx.rtcc.example 1; dkim=pass (2048-bit key; secure) header.d=fresno.example "
            'header.s="sel;1"; spf = softfail (transitioning) smtp.mailfrom=bounce@fresno.example;'
            ' dmarc=fail reason="policy" header.from=fresno.example'
        )
        assert results.authserv_id == "mx.rtcc.example"
        assert [(r.method, r.result, r.domain()) for r in results.results] == [
            ("dkim", "pass", "fresno.example"),
            ("spf", "softfail", "fresno.example"),
            ("dmarc", "fail", "fresno.example"),
        ]
        assert results.results[0].properties["header.s"] == "sel;1"

    def test_none_is_a_header_with_no_results(self):
        results = parse_authentication_results("mx.rtcc.example; none")
        assert (results.authserv_id, results.results) == ("mx.rtcc.example", ())

    def test_without_an_authserv_id_the_topmost_header_is_trusted(self):
        ours = "mx.rtcc.example; dmarc=fail header.from=fresno.example"
        forged = "mx.rtcc.example; dmarc=pass header.from=fresno.example"
        assert trusted_results([ours, forged], authserv_id=None).results[0].result == "fail"
        assert trusted_results([], authserv_id=None) is None

    def test_with_an_authserv_id_only_that_servers_header_is_trusted(self):
        forged = "evil.example; dmarc=pass header.from=fresno.example"
        ours = "mx.rtcc.example; dmarc=fail header.from=fresno.example"
        trusted = trusted_results([forged, ours], authserv_id="MX.rtcc.example")
        assert trusted.results[0].result == "fail"
        assert trusted_results([forged], authserv_id="mx.rtcc.example") is None


def verdict(header: str, sender: str = "records@fresno.example"):
    results = parse_authentication_results(header) if header is not None else None
    return authentication_verdict(results, from_address=sender, domains=AGENCY)


class TestAuthenticationVerdict:
    @pytest.mark.parametrize(
        "header",
        [
            "mx; dmarc=pass header.from=fresno.example",
            "mx; dkim=pass header.d=fresno.example; dmarc=none header.from=fresno.example",
            "mx; spf=pass smtp.mailfrom=bounce@fresno.example",
            "mx; dkim=fail header.d=fresno.example; spf=pass smtp.mailfrom=fresno.example",
        ],
    )
    def test_a_pass_for_the_agencys_domain_verifies_the_sender(self, header):
        assert verdict(header).verified is True

    def test_a_pass_for_the_parent_domain_verifies_a_subdomain_sender(self):
        header = "mx; dkim=pass header.d=fresno.example"
        assert verdict(header, sender="noreply@portal.fresno.example").verified is True

    @pytest.mark.parametrize(
        ("header", "said"),
        [
            ("mx; dmarc=fail header.from=fresno.example", "dmarc=fail for fresno.example"),
            (
                "mx; dkim=pass header.d=fresno.example; dmarc=fail header.from=fresno.example",
                "dmarc=fail",
            ),
            ("mx; spf=fail smtp.mailfrom=fresno.example; dkim=none", "spf=fail"),
            ("mx; dkim=pass header.d=evil.example; spf=pass smtp.mailfrom=evil.example", "evil"),
            ("mx; dkim=pass header.d=example", "no SPF, DKIM or DMARC pass"),
            ("mx; none", "no results"),
        ],
    )
    def test_no_pass_for_the_agencys_domain_is_not_verified(self, header, said):
        result = verdict(header)
        assert result.verified is False
        assert said in result.detail

    def test_no_header_is_nothing_to_go_on(self):
        assert verdict(None).verified is None
