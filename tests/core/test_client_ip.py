"""The client's address behind the reverse proxy (lamtheo/core/client_ip.py): the rule on
plain values, its configuration, and django-axes lock-outs through the real log-in page."""

from __future__ import annotations

import ipaddress

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client, RequestFactory
from django.urls import reverse

from lamtheo.core.client_ip import (
    check_trusted_proxies,
    client_ip,
    client_ip_from,
    parse_address,
    trusted_networks,
)

PASSWORD = "demo12345"  # tests.factories.UserFactory
PROXY = "10.0.0.5"
CLIENT_A = "203.0.113.7"
CLIENT_B = "198.51.100.9"


def networks(*values: str):
    return trusted_networks(values)


# The rule


def test_without_trusted_proxies_the_header_is_ignored():
    assert client_ip_from(PROXY, CLIENT_A, networks()) == PROXY


def test_a_header_from_an_untrusted_address_is_ignored():
    assert client_ip_from("192.0.2.50", CLIENT_A, networks(PROXY)) == "192.0.2.50"


def test_from_a_trusted_proxy_the_forwarded_client_is_used():
    assert client_ip_from(PROXY, CLIENT_A, networks(PROXY)) == CLIENT_A


def test_no_header_from_a_trusted_proxy_gives_the_proxy():
    assert client_ip_from(PROXY, None, networks(PROXY)) == PROXY
    assert client_ip_from(PROXY, "", networks(PROXY)) == PROXY
    assert client_ip_from(PROXY, " , ", networks(PROXY)) == PROXY


def test_addresses_a_client_prepends_are_ignored():
    # The client sent «X-Forwarded-For: 198.51.100.9, 1.1.1.1»; nginx appended its address.
    header = f"{CLIENT_B}, 1.1.1.1, {CLIENT_A}"
    assert client_ip_from(PROXY, header, networks(PROXY)) == CLIENT_A


def test_the_right_most_untrusted_address_is_the_client_behind_a_chain_of_proxies():
    # client → load balancer 10.0.1.2 → nginx 10.0.0.5 → gunicorn
    header = f"{CLIENT_B}, {CLIENT_A}, 10.0.1.2"
    assert client_ip_from(PROXY, header, networks("10.0.0.0/16")) == CLIENT_A


def test_a_trusted_network_covers_every_address_in_it():
    proxies = networks("10.0.0.0/24")
    assert client_ip_from("10.0.0.200", CLIENT_A, proxies) == CLIENT_A
    assert client_ip_from("10.0.1.1", CLIENT_A, proxies) == "10.0.1.1"


def test_a_header_of_trusted_proxies_only_gives_its_left_most_address():
    assert client_ip_from(PROXY, "10.0.0.9, 10.0.0.8", networks("10.0.0.0/24")) == "10.0.0.9"


@pytest.mark.parametrize(
    "header",
    [
        "not-an-address",
        "unknown",
        "999.1.1.1",
        "203.0.113.7:99999",
        "[2001:db8::1",
        "<script>",
        "1.2.3.4\x00",
        "x" * 5000,
        "2001:db8::1, ::1]",
    ],
)
def test_a_garbage_entry_where_the_client_should_be_falls_back_to_remote_addr(header):
    assert client_ip_from(PROXY, header, networks(PROXY)) == PROXY


def test_garbage_to_the_left_of_the_client_does_not_matter():
    assert client_ip_from(PROXY, f"garbage, {CLIENT_A}", networks(PROXY)) == CLIENT_A


def test_garbage_between_the_proxies_stops_the_walk():
    # Only a trusted proxy wrote right of the garbage; what is left of it cannot be believed.
    header = f"{CLIENT_A}, nonsense, 10.0.1.2"
    assert client_ip_from(PROXY, header, networks("10.0.0.0/16")) == PROXY


def test_ipv6_client_and_proxy():
    assert client_ip_from("::1", "2001:db8::7", networks("::1")) == "2001:db8::7"
    assert client_ip_from("::1", "[2001:DB8::7]:51000", networks("::1")) == "2001:db8::7"
    assert client_ip_from("fd00::5", CLIENT_A, networks("fd00::/64")) == CLIENT_A
    assert client_ip_from("fd01::5", CLIENT_A, networks("fd00::/64")) == "fd01::5"


def test_an_ipv4_network_never_matches_an_ipv6_address():
    assert client_ip_from("::a00:5", CLIENT_A, networks("10.0.0.0/8")) == "::a00:5"


def test_ipv4_mapped_remote_addr_matches_the_ipv4_proxy():
    # gunicorn on a dual-stack socket reports ::ffff:127.0.0.1 for a proxy on 127.0.0.1.
    assert client_ip_from("::ffff:127.0.0.1", CLIENT_A, networks("127.0.0.1")) == CLIENT_A


def test_a_port_after_an_ipv4_entry_is_dropped():
    assert client_ip_from(PROXY, f"{CLIENT_A}:51000", networks(PROXY)) == CLIENT_A


def test_a_remote_addr_that_is_not_an_address_is_returned_unchanged():
    assert client_ip_from("", CLIENT_A, networks(PROXY)) == ""
    assert client_ip_from(None, CLIENT_A, networks(PROXY)) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("192.0.2.1", "192.0.2.1"),
        (" 192.0.2.1 ", "192.0.2.1"),
        ("192.0.2.1:443", "192.0.2.1"),
        ("2001:db8::1", "2001:db8::1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("192.0.2.1:", None),
        ("192.0.2.1:http", None),
        ("[2001:db8::1]x", None),
        ("192.0.2.0/24", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_address(text, expected):
    parsed = parse_address(text)
    assert (str(parsed) if parsed is not None else None) == expected


# Configuration


def test_trusted_proxies_accept_addresses_and_networks():
    assert trusted_networks(("127.0.0.1", "::1", "10.0.0.0/24", "10.1.2.3/16")) == (
        ipaddress.ip_network("127.0.0.1/32"),
        ipaddress.ip_network("::1/128"),
        ipaddress.ip_network("10.0.0.0/24"),
        ipaddress.ip_network("10.1.0.0/16"),
    )


def test_a_bad_trusted_proxy_entry_names_itself():
    with pytest.raises(ImproperlyConfigured, match=r"'nginx\.local'"):
        trusted_networks(("127.0.0.1", "nginx.local"))


def test_manage_py_check_reports_a_bad_trusted_proxy_entry(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.300"]
    assert [e.id for e in check_trusted_proxies()] == ["lamtheo.E001"]
    with pytest.raises(SystemCheckError, match=r"10\.0\.0\.300"):
        call_command("check")


def test_manage_py_check_accepts_the_default_and_good_entries(settings):
    assert check_trusted_proxies() == []
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1", "10.0.0.0/8"]
    assert check_trusted_proxies() == []


def test_client_ip_reads_the_request_and_the_setting(settings):
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_A)
    assert client_ip(request) == PROXY
    settings.TRUSTED_PROXIES = [PROXY]
    assert client_ip(request) == CLIENT_A


def test_axes_uses_client_ip(settings):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=CLIENT_A)
    assert get_client_ip_address(request) == CLIENT_A


# Through the log-in page, with django-axes on (tests/conftest.py turns it off elsewhere)


def _fail_five_times(client: Client) -> list[int]:
    bad = {"username": "member", "password": "wrong"}
    return [client.post(reverse("login"), bad).status_code for _ in range(5)]


def _log_in(client: Client) -> int:
    return client.post(reverse("login"), {"username": "member", "password": PASSWORD}).status_code


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    return settings


def test_behind_a_trusted_proxy_a_lock_out_holds_one_client_only(world, axes_on):
    axes_on.TRUSTED_PROXIES = ["127.0.0.1"]  # the test client's REMOTE_ADDR, as nginx's
    client_a = Client(HTTP_X_FORWARDED_FOR=CLIENT_A)
    client_b = Client(HTTP_X_FORWARDED_FOR=CLIENT_B)

    assert _fail_five_times(client_a) == [200, 200, 200, 200, 429]
    assert _log_in(client_a) == 429  # the right password is refused now
    assert _log_in(client_b) == 302  # same username, another address: not locked
    attempt = AccessAttempt.objects.get()  # the failures are recorded against A alone
    assert (attempt.username, attempt.ip_address) == ("member", CLIENT_A)


def test_addresses_a_client_prepends_do_not_lift_its_lock_out(world, axes_on):
    axes_on.TRUSTED_PROXIES = ["127.0.0.1"]
    assert _fail_five_times(Client(HTTP_X_FORWARDED_FOR=CLIENT_A)) == [200, 200, 200, 200, 429]
    # Client A claims to be B; nginx appends A's real address.
    assert _log_in(Client(HTTP_X_FORWARDED_FOR=f"{CLIENT_B}, {CLIENT_A}")) == 429


def test_without_trusted_proxies_everyone_behind_the_proxy_shares_one_address(world, axes_on):
    assert axes_on.TRUSTED_PROXIES == []
    assert _fail_five_times(Client(HTTP_X_FORWARDED_FOR=CLIENT_A)) == [200, 200, 200, 200, 429]
    assert _log_in(Client(HTTP_X_FORWARDED_FOR=CLIENT_B)) == 429
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"
