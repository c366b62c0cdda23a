"""The address guard: which addresses are refused, and that a refusal comes before any
connection. No network: the resolver is a table."""

from __future__ import annotations

import ipaddress

import pytest

from newsfuse.errors import BlockedAddress, ConfigError, FetchError
from newsfuse.fetch.guard import AllowList, classify, pin, system_resolver

REFUSED = [
    ("127.0.0.1", "loopback"),
    ("127.0.0.2", "loopback"),
    ("10.1.2.3", "private"),
    ("172.16.0.1", "private"),
    ("172.31.255.255", "private"),
    ("192.168.1.1", "private"),
    ("169.254.169.254", "link-local"),
    ("100.64.0.1", "carrier-grade NAT"),
    ("100.127.255.254", "carrier-grade NAT"),
    ("0.0.0.0", "unspecified"),
    ("224.0.0.1", "multicast"),
    ("239.255.255.250", "multicast"),
    ("240.0.0.1", "reserved"),
    ("255.255.255.255", "reserved"),
    ("192.0.0.8", "reserved"),
    ("198.18.0.1", "benchmarking"),
    ("::1", "loopback"),
    ("::", "unspecified"),
    ("fe80::1", "link-local"),
    ("fc00::1", "unique local"),
    ("fd12:3456::1", "unique local"),
    ("fec0::1", "site-local"),
    ("ff02::1", "multicast"),
    ("::ffff:127.0.0.1", "IPv4-mapped form of a loopback"),
    ("::ffff:169.254.169.254", "IPv4-mapped form of a link-local"),
    ("::ffff:10.0.0.1", "IPv4-mapped form of a private"),
    ("::127.0.0.1", "IPv4-compatible form of a loopback"),
    ("64:ff9b::7f00:1", "NAT64 form of a loopback"),
    ("64:ff9b::a9fe:a9fe", "NAT64 form of a link-local"),
    ("64:ff9b:1::1", "local-use NAT64"),
    ("2002:7f00:1::", "6to4 form of a loopback"),
    ("2002:c0a8:101::1", "6to4 form of a private"),
    ("2001::1", "Teredo"),
    ("2001:db8::1", "documentation"),
]
PUBLIC = [
    "93.184.216.34",
    "8.8.8.8",
    "1.1.1.1",
    "100.128.0.1",  # just past the CGNAT block
    "172.32.0.1",  # just past 172.16/12
    "2606:4700:4700::1111",
    "2a00:1450:4001::1",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:808:808::1",
]


@pytest.mark.parametrize(("address", "why"), REFUSED)
def test_non_public_addresses_are_refused_with_their_reason(address: str, why: str) -> None:
    reason = classify(ipaddress.ip_address(address))
    assert reason is not None and why in reason


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address: str) -> None:
    assert classify(ipaddress.ip_address(address)) is None


def table(mapping: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    asked: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        return mapping[host]

    return resolve, asked


def test_a_host_with_one_private_address_among_public_ones_is_refused() -> None:
    resolve, _ = table({"news.example": ["93.184.216.34", "10.0.0.7"]})
    with pytest.raises(BlockedAddress, match=r"news\.example is a private address \(10\.0\.0\.7\)"):
        pin("https://news.example/story", AllowList(), resolve)


def test_the_checked_address_is_the_one_to_connect_to() -> None:
    resolve, asked = table({"news.example": ["93.184.216.34", "2606:4700::1"]})
    pinned = pin("https://news.example:8443/a?b=1", AllowList(), resolve)
    assert (pinned.host, pinned.port, pinned.address) == ("news.example", 8443, "93.184.216.34")
    assert asked == ["news.example"]  # one lookup


def test_allow_list_by_name_cidr_and_ip() -> None:
    resolve, _ = table({"intranet.corp": ["10.1.2.3"], "other.corp": ["10.9.9.9"]})
    by_name = AllowList.parse(["Intranet.Corp"])
    assert pin("http://intranet.corp/x", by_name, resolve).address == "10.1.2.3"
    with pytest.raises(BlockedAddress):
        pin("http://other.corp/x", by_name, resolve)
    by_net = AllowList.parse(["10.9.0.0/16"])
    assert pin("http://other.corp/x", by_net, resolve).address == "10.9.9.9"
    by_ip = AllowList.parse(["127.0.0.1"])
    assert pin("http://127.0.0.1:8000/", by_ip).address == "127.0.0.1"
    with pytest.raises(BlockedAddress, match="loopback"):
        pin("http://127.0.0.2:8000/", by_ip)  # another loopback address is not the one allowed
    with pytest.raises(BlockedAddress, match="IPv4-mapped"):
        pin("http://[::ffff:127.0.0.1]:8000/", by_ip)


@pytest.mark.parametrize(
    "url",
    ["http://2130706433/", "http://0x7f.1/", "http://0177.0.0.1/", "http://[::1]/"],
)
def test_every_spelling_of_loopback_is_refused(url: str) -> None:
    with pytest.raises(BlockedAddress, match="loopback"):
        pin(url, AllowList(), system_resolver)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("file:///etc/passwd", "scheme 'file'"),
        ("gopher://news.example/", "scheme 'gopher'"),
        ("ftp://news.example/a", "scheme 'ftp'"),
        ("http://user:pw@news.example/", "credentials"),
        ("http:///nohost", "no host"),
        ("http://news.example:99999/", "not a valid URL"),
    ],
)
def test_bad_urls_are_refused_before_any_lookup(url: str, why: str) -> None:
    resolve, asked = table({})
    with pytest.raises(FetchError, match=why):
        pin(url, AllowList(), resolve)
    assert asked == []


def test_a_host_that_does_not_resolve_is_one_clear_error() -> None:
    def fail(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    with pytest.raises(FetchError, match=r"cannot resolve nowhere\.example"):
        pin("http://nowhere.example/", AllowList(), fail)


@pytest.mark.parametrize("entry", ["http://x.example", "a b", "", ".corp", "user@host"])
def test_a_malformed_allow_entry_is_a_config_error(entry: str) -> None:
    with pytest.raises(ConfigError, match="--allow-host"):
        AllowList.parse([entry])
