"""Address policy: which hosts a URL may reach, decided before any connection is made.

The host of every URL (and of every redirect hop) is resolved once; if any of its addresses is
not a public unicast address the URL is refused, unless the host matches the allow-list. The
caller then connects to the address that was checked (`Pinned.address`), so a DNS server that
answers differently the second time (rebinding) cannot steer the connection inside.

Addresses are judged after resolution, so every spelling of an address (decimal ``2130706433``,
octal ``0177.0.0.1``, IPv6 forms) meets the same tables. IPv6 forms that carry an IPv4 address
(IPv4-mapped ``::ffff:a.b.c.d``, IPv4-compatible ``::a.b.c.d``, NAT64 ``64:ff9b::/96``, 6to4
``2002::/16``) are judged by the IPv4 address they reach. Anything the tables do not name but
that the standard library does not call global is refused too ("not a public address").
After the OWASP SSRF prevention cheat sheet and Miniflux's private-network check.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from newsfuse.errors import BlockedAddress, ConfigError, FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Sequence[str]]

_NETWORKS: tuple[tuple[str, str], ...] = (
    ("0.0.0.0/8", "an unspecified address"),
    ("10.0.0.0/8", "a private address"),
    ("100.64.0.0/10", "a carrier-grade NAT address"),
    ("127.0.0.0/8", "a loopback address"),
    ("169.254.0.0/16", "a link-local address, where cloud metadata lives"),
    ("172.16.0.0/12", "a private address"),
    ("192.0.0.0/24", "a reserved address"),
    ("192.0.2.0/24", "a documentation address"),
    ("192.168.0.0/16", "a private address"),
    ("198.18.0.0/15", "a benchmarking address"),
    ("198.51.100.0/24", "a documentation address"),
    ("203.0.113.0/24", "a documentation address"),
    ("224.0.0.0/4", "a multicast address"),
    ("240.0.0.0/4", "a reserved address"),
    ("::/128", "an unspecified address"),
    ("::1/128", "a loopback address"),
    ("64:ff9b:1::/48", "a local-use NAT64 address"),
    ("100::/64", "a discard-only address"),
    ("2001::/32", "a Teredo tunnel address"),
    ("2001:db8::/32", "a documentation address"),
    ("fc00::/7", "a unique local address"),
    ("fe80::/10", "a link-local address"),
    ("fec0::/10", "a site-local address"),
    ("ff00::/8", "a multicast address"),
)
_TABLE = tuple((ipaddress.ip_network(net), why) for net, why in _NETWORKS)
_MAPPED = ipaddress.ip_network("::ffff:0:0/96")
_COMPAT = ipaddress.ip_network("::/96")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SIXTOFOUR = ipaddress.ip_network("2002::/16")


def classify(address: IPAddress) -> str | None:
    """Why ``address`` must not be reached (e.g. "a loopback address"), or None when public."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None:
            why = classify(inner)
            return None if why is None else f"{_form(address)} of {why}"
    for net, why in _TABLE:
        if address.version == net.version and address in net:
            return why
    return None if address.is_global else "not a public address"


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    value = int(address)
    if address in _MAPPED or address in _NAT64:
        return ipaddress.IPv4Address(value & 0xFFFFFFFF)
    if address in _COMPAT and value > 1:  # :: and ::1 are themselves, not IPv4 forms
        return ipaddress.IPv4Address(value & 0xFFFFFFFF)
    if address in _SIXTOFOUR:
        return ipaddress.IPv4Address((value >> 80) & 0xFFFFFFFF)
    return None


def _form(address: ipaddress.IPv6Address) -> str:
    if address in _MAPPED:
        return "the IPv4-mapped form"
    if address in _NAT64:
        return "the NAT64 form"
    if address in _SIXTOFOUR:
        return "the 6to4 form"
    return "the IPv4-compatible form"


@dataclass(frozen=True, slots=True)
class AllowList:
    """Hosts that may be reached although they are not public: exact names (any address they
    resolve to is accepted) and networks (an address inside one is accepted)."""

    names: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> AllowList:
        names: set[str] = set()
        networks: list[IPNetwork] = []
        for raw in entries:
            entry = str(raw).strip().lower().strip("[]")
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                if not entry or any(c in entry for c in "/:@ ") or entry.startswith("."):
                    raise ConfigError(
                        f"--allow-host {raw!r}: give a host name, an IP address or a CIDR "
                        "network (intranet.example, 10.0.0.5, 10.0.0.0/8)"
                    ) from None
                names.add(entry.rstrip("."))
        return cls(frozenset(names), tuple(networks))

    def admits(self, address: IPAddress) -> bool:
        return any(address.version == n.version and address in n for n in self.networks)


@dataclass(frozen=True, slots=True)
class Pinned:
    """A URL whose host was checked: connect to ``address``, say ``host`` (Host header, SNI)."""

    url: str
    scheme: str
    host: str
    port: int
    address: str


def pin(url: str, allow: AllowList, resolve: Resolver | None = None) -> Pinned:
    """Check ``url`` and its host's addresses; raise `FetchError` / `BlockedAddress` if refused."""
    parts = _split(url)
    host = (parts.hostname or "").rstrip(".")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = _resolve(url, host, port, resolve or system_resolver)
    if host not in allow.names:
        for address in addresses:
            why = classify(address)
            if why is not None and not allow.admits(address):
                shown = "" if _literal(host) == address else f" ({address})"
                raise BlockedAddress(url, f"refused: {host} is {why}{shown}")
    return Pinned(url, parts.scheme, host, port, str(addresses[0]))


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _split(url: str) -> SplitResult:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError on a bad port
    except ValueError as err:
        raise FetchError(url, f"not a valid URL ({err})") from err
    if parts.scheme not in ("http", "https"):
        raise FetchError(url, f"scheme {parts.scheme or '(none)'!r} is not fetched; use http(s)")
    if not parts.hostname:
        raise FetchError(url, "URL has no host")
    if parts.username is not None or parts.password is not None:
        raise FetchError(url, "URL carries credentials; newsfuse does not send them")
    return parts


def _resolve(url: str, host: str, port: int, resolve: Resolver) -> list[IPAddress]:
    try:
        found = [ipaddress.ip_address(a.split("%")[0]) for a in resolve(host, port)]
    except (OSError, UnicodeError) as err:
        raise FetchError(url, f"cannot resolve {host} ({err})") from err
    if not found:
        raise FetchError(url, f"{host} resolves to no address")
    return found


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, in the system's order (one lookup)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


__all__ = ["AllowList", "Pinned", "Resolver", "classify", "pin", "system_resolver"]
