"""HTTPS to a pinned address: the connection goes to the checked IP while TLS names the host
(SNI) and the certificate is verified against the host name, not the IP."""

from __future__ import annotations

import ssl
from collections.abc import Iterator

import pytest
import trustme

from newsfuse.errors import FetchError
from newsfuse.fetch import Settings
from newsfuse.fetch.client import Fetcher, Response
from tests.test_fetch import page
from tests.webserver import Reply, Site, serve


def loopback(host: str, port: int) -> list[str]:
    return ["127.0.0.1"]  # news.test and other.test exist only here


@pytest.fixture
def tls_site() -> Iterator[tuple[Site, ssl.SSLContext, list[str]]]:
    ca = trustme.CA()
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("news.test").configure_cert(server)
    names: list[str] = []
    server.sni_callback = lambda sock, name, ctx: names.append(name or "")  # type: ignore[assignment,func-returns-value]
    client = ssl.create_default_context()
    ca.configure_trust(client)
    with serve("127.0.0.1", tls=server) as site:
        site.routes["/a"] = Reply(body=page("Secure story"))
        yield site, client, names


def test_https_goes_to_the_pinned_address_with_the_host_name_in_sni(tls_site) -> None:  # type: ignore[no-untyped-def]
    site, client, names = tls_site
    settings = Settings(allow_hosts=("news.test", "other.test"), host_delay=0)
    with Fetcher(settings, loopback, client) as fetcher:
        got = fetcher.get(f"https://news.test:{site.port}/a")
        assert isinstance(got, Response) and b"Secure story" in got.body
        assert set(names) == {"news.test"}
        assert site.log[-1].headers["host"] == f"news.test:{site.port}"
        with pytest.raises(
            FetchError,
            match=r"robots\.txt of other\.test cannot be read \(TLS certificate not valid",
        ):
            fetcher.get(f"https://other.test:{site.port}/a")  # same address, wrong name
