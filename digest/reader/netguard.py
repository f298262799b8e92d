"""Address checks for the SSRF guard: which IP addresses the bot may connect to.

A URL from a chat message must never make the bot talk to its own machine, the local
network or a cloud metadata service. The rule is simple: an address is refused unless it
is publicly routable, and addresses that *embed* an IPv4 address (IPv4-mapped,
IPv4-compatible, 6to4, NAT64) are judged by the embedded address too.

>>> is_forbidden_address("93.184.216.34")
False
>>> is_forbidden_address("169.254.169.254")
True
>>> is_forbidden_address("::ffff:127.0.0.1")
True
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import threading
from collections.abc import Awaitable, Callable, Sequence

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: Turns (host, port) into the addresses it resolves to. The fetcher takes one as a seam so
#: tests can play a DNS-rebinding name without a DNS server.
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]

# Prefixes whose low 32 bits carry an IPv4 address that must be judged on its own.
# RFC 6052 NAT64: on IPv6-only hosts with DNS64 every IPv4-only site resolves into this
# prefix, so it is judged by the embedded address alone (ipaddress calls it "reserved").
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
# ``::a.b.c.d`` (deprecated IPv4-compatible form); ``::`` and ``::1`` are caught earlier.
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")


def parse_address(text: str) -> IPAddress:
    """Parse an address as getaddrinfo returns it, dropping an IPv6 zone (``%eth0``).

    >>> parse_address("fe80::1%eth0")
    IPv6Address('fe80::1')
    """
    return ipaddress.ip_address(text.split("%", 1)[0])


def is_forbidden_address(address: str | IPAddress) -> bool:
    """True when connecting to ``address`` could reach something that is not the public web.

    Covers private, loopback, link-local (incl. 169.254.169.254), CGNAT, multicast, reserved,
    unspecified and broadcast IPv4, IPv6 unique-local/link-local/site-local, and IPv6 forms
    that embed such an IPv4 address (``::ffff:10.0.0.1``, ``2002:7f00:1::``, ``64:ff9b::a00:1``).

    >>> is_forbidden_address("100.64.0.1"), is_forbidden_address("2002:7f00:1::1")
    (True, True)
    """
    ip = parse_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address) and ip in _NAT64:
        return _is_special(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    if _is_special(ip):
        return True
    embedded = _embedded_ipv4(ip) if isinstance(ip, ipaddress.IPv6Address) else None
    return embedded is not None and _is_special(embedded)


def _is_special(ip: IPAddress) -> bool:
    """Any non-public address class; ``is_global`` alone misses multicast and some v6 ranges."""
    return (
        not ip.is_global
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or (isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT)
        or (isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local)
    )


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address tunnels to, if it is of a tunnelling form."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]  # the client address; Teredo's 2001::/32 is non-global anyway
    if ip in _IPV4_COMPATIBLE:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


async def system_resolver(host: str, port: int) -> list[str]:
    """Resolve ``host`` with the running loop's getaddrinfo (threaded, non-blocking).

    Numeric spellings such as ``2130706433`` or ``0x7f.1`` come back as the dotted address
    they really mean, so the address check sees through them.
    """
    return await _addresses(host, port)


async def _addresses(host: str, port: int) -> list[str]:
    """``socket.getaddrinfo`` in a daemon thread of its own.

    The loop's own ``getaddrinfo`` runs in the default executor, whose threads the
    interpreter joins at exit: a lookup of a host whose DNS never answers then held a stopping
    bot for seconds. A daemon thread is left behind instead; its answer, if any, is dropped."""
    loop = asyncio.get_running_loop()
    answer: asyncio.Future[list[str]] = loop.create_future()

    def settle(result: list[str] | None, error: BaseException | None) -> None:
        if answer.done():
            return
        if error is not None:
            answer.set_exception(error)
        else:
            answer.set_result(result or [])

    def lookup() -> None:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            result: list[str] | None = list(dict.fromkeys(str(info[4][0]) for info in infos))
            error: BaseException | None = None
        except Exception as exc:  # noqa: BLE001 - handed to the awaiting caller, as getaddrinfo's
            result, error = None, exc
        with contextlib.suppress(RuntimeError):  # the loop has closed: nobody is waiting
            loop.call_soon_threadsafe(settle, result, error)

    threading.Thread(target=lookup, name=f"resolve {host}", daemon=True).start()
    return await answer
