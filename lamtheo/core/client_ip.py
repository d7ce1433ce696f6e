"""The address of the person making a request, behind a reverse proxy.

In production nginx talks to gunicorn, so ``REMOTE_ADDR`` is the proxy's address for every
request; the client's address arrives in ``X-Forwarded-For``. That header is believed only
when the request comes from a proxy listed in ``settings.TRUSTED_PROXIES`` (addresses or
networks; empty, the default, trusts nobody), and even then only in part: each proxy appends
the address it received the request from, so the entries on the left may be anything a
client chose to send. The client is the right-most entry that is not itself a trusted
proxy. Anything that does not parse falls back to ``REMOTE_ADDR``.

Used by django-axes (``AXES_CLIENT_IP_CALLABLE``) for its username + address lock-outs and
records, and by the API's token throttle.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def client_ip(request: Any) -> str | None:
    """The client's address for ``request`` (a Django or DRF request), as a normalised
    string; ``REMOTE_ADDR`` unchanged when that is not an address at all."""
    remote_addr = request.META.get("REMOTE_ADDR")
    proxies = trusted_networks(tuple(settings.TRUSTED_PROXIES))
    return client_ip_from(remote_addr, request.META.get("HTTP_X_FORWARDED_FOR"), proxies)


def client_ip_from(
    remote_addr: str | None, forwarded_for: str | None, proxies: Iterable[IPNetwork]
) -> str | None:
    """The rule of :func:`client_ip`, on plain values."""
    proxies = tuple(proxies)
    remote = parse_address(remote_addr)
    if remote is None:
        return remote_addr
    if not forwarded_for or not _is_trusted(remote, proxies):
        return str(remote)
    entries = [entry.strip() for entry in forwarded_for.split(",")]
    entries = [entry for entry in entries if entry]
    for entry in reversed(entries):
        address = parse_address(entry)
        if address is None:
            # Not an address where the client's should be: the chain cannot be followed
            # any further, and nothing to its left can be believed.
            return str(remote)
        if not _is_trusted(address, proxies):
            return str(address)
    # Every hop is one of our proxies (a health check from the proxy machine, say): the
    # left-most is where the request started.
    first = parse_address(entries[0]) if entries else None
    return str(first or remote)


def parse_address(value: str | None) -> IPAddress | None:
    """An IPv4 or IPv6 address, or None. Accepts what proxies write: ``[2001:db8::1]``,
    a port after an IPv4 address or a bracketed IPv6 one. IPv4-mapped IPv6 addresses
    (``::ffff:192.0.2.1``, from a dual-stack socket) become IPv4."""
    if not value or len(value) > 100:
        return None
    text = value.strip()
    if text.startswith("["):
        text, bracket, rest = text[1:].partition("]")
        if not bracket or (rest and not _is_port(rest)):
            return None
    elif text.count(":") == 1:
        text, _colon, port = text.partition(":")
        if not _is_port(":" + port):
            return None
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@lru_cache(maxsize=8)
def trusted_networks(values: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    """``TRUSTED_PROXIES`` parsed: each entry an address (``10.0.0.5``, ``::1``) or a network
    (``10.0.0.0/24``). Raises ImproperlyConfigured naming the entry that is neither."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES: {value!r} is neither an IP address nor a network "
                "(examples: 127.0.0.1, ::1, 10.0.0.0/24)."
            ) from None
    return tuple(networks)


def _is_trusted(address: IPAddress, proxies: tuple[IPNetwork, ...]) -> bool:
    return any(address in network for network in proxies)  # False across IPv4/IPv6


def _is_port(text: str) -> bool:
    digits = text.removeprefix(":")
    return (
        digits != text
        and digits.isascii()
        and digits.isdigit()
        and len(digits) <= 5
        and int(digits) <= 65535
    )


def check_trusted_proxies(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """System check (``manage.py check``, so ``make deploy`` too): every ``TRUSTED_PROXIES``
    entry parses, rather than a 500 on the first log-in."""
    try:
        trusted_networks(tuple(settings.TRUSTED_PROXIES))
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="lamtheo.E001")]
    return []
