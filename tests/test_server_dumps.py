"""/dumps/: listing (HTML and JSON), downloads with the right type, Range, traversal."""

from __future__ import annotations

import gzip
import hashlib

import pyoxigraph as ox
import pytest

from tests import server_fixtures

sample_store = server_fixtures.sample_store
app = server_fixtures.app
client = server_fixtures.client

NAMES = {"asserted.ttl.gz", "inferred.ttl.gz", "ontology.ttl.gz", "all.nq.gz"}


def fetch(client, path: str, **kwargs):  # type: ignore[no-untyped-def]
    """GET and close the response (file responses hold an open file until closed)."""
    resp = client.get(path, **kwargs)
    resp.get_data()
    resp.close()
    return resp


def test_json_listing_matches_the_files(client):
    listing = client.get("/dumps/", headers={"Accept": "application/json"}).get_json()
    assert {f["name"] for f in listing["files"]} == NAMES
    for f in listing["files"]:
        body = fetch(client, f"/dumps/{f['name']}").data
        assert len(body) == f["bytes"]
        assert hashlib.sha256(body).hexdigest() == f["sha256"]
        assert f["url"] == f"http://localhost/dumps/{f['name']}"
    assert client.get("/dumps/?format=json").get_json() == listing


def test_html_listing(client):
    resp = client.get("/dumps/", headers={"Accept": "text/html"})
    assert resp.mimetype == "text/html"
    html = resp.data.decode()
    for name in NAMES:
        assert f'href="/dumps/{name}"' in html
    assert "Content-Security-Policy" in resp.headers


def test_download_is_gzip_without_content_encoding(client):
    resp = fetch(client, "/dumps/all.nq.gz", headers={"Accept-Encoding": "gzip"})
    assert resp.status_code == 200
    assert resp.mimetype == "application/gzip"
    assert "Content-Encoding" not in resp.headers
    assert "attachment" in resp.headers["Content-Disposition"]
    quads = list(ox.parse(gzip.decompress(resp.data), format=ox.RdfFormat.N_QUADS))
    listing = client.get("/dumps/?format=json").get_json()
    expected = next(f["triples"] for f in listing["files"] if f["name"] == "all.nq.gz")
    assert len(quads) == expected > 1000
    assert resp.headers["Digest"].startswith("sha-256=")


def test_range_requests(client):
    full = fetch(client, "/dumps/asserted.ttl.gz").data
    part = fetch(client, "/dumps/asserted.ttl.gz", headers={"Range": "bytes=10-19"})
    assert part.status_code == 206
    assert part.data == full[10:20]
    assert part.headers["Content-Range"] == f"bytes 10-19/{len(full)}"
    bad = fetch(client, "/dumps/asserted.ttl.gz", headers={"Range": f"bytes={len(full) + 5}-"})
    assert bad.status_code == 416


def test_conditional_download(client):
    first = fetch(client, "/dumps/ontology.ttl.gz")
    again = fetch(
        client, "/dumps/ontology.ttl.gz", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304


@pytest.mark.parametrize(
    "path",
    [
        "/dumps/..%2fmanifest.json",
        "/dumps/..%2f..%2fCURRENT",
        "/dumps/%2e%2e%2fFORMAT",
        "/dumps/all.nq.gz%00",
        "/dumps/nope.ttl.gz",
        "/dumps/../FORMAT",
        "/dumps/..%5cFORMAT",
    ],
)
def test_traversal_and_unknown_names_are_404(client, path):
    assert client.get(path).status_code == 404


def test_the_licence_and_attribution_are_stated_where_the_data_is_taken(client):
    cc_by = "https://creativecommons.org/licenses/by/4.0/"
    listing = client.get("/dumps/", headers={"Accept": "application/json"}).get_json()
    assert listing["license"] == cc_by and "ODbL-1.0" in listing["attribution"]
    html = client.get("/dumps/", headers={"Accept": "text/html"}).data.decode()
    assert html.count(f'rel="license" href="{cc_by}"') == 2, "listing and footer"
    page = client.get("/ontology", headers={"Accept": "text/html"}).data.decode()
    assert f'rel="license" href="{cc_by}"' in page and "dr5hn" in page
    void = client.get("/sparql", headers={"Accept": "text/turtle"}).data.decode()
    assert cc_by in void and "ODbL-1.0" in void


def test_listing_says_which_data_version_the_dumps_hold(client):
    listing = client.get("/dumps/?format=json").get_json()
    assert listing["version"] == listing["current_version"]
    assert {f["name"] for f in client.get("/dumps/manifest.json").get_json()["files"]} == NAMES


def test_a_version_without_dumps_yet_serves_the_previous_complete_ones(tmp_path):
    from diplograph.server import create_app
    from diplograph.store import VersionedStore

    path = tmp_path / "store"
    store = server_fixtures.build_store(path)
    dumped = store.current_version()
    with store.writer() as batch:  # published, its dumps not written (yet)
        batch.replace_graph("https://w3id.org/diplograph/graph/article/new", [])
        batch.store.add(
            ox.Quad(
                ox.NamedNode("http://example.org/s"),
                ox.NamedNode("http://example.org/p"),
                ox.Literal("new"),
                ox.NamedNode("https://w3id.org/diplograph/graph/article/new"),
            )
        )
    current = store.current_version()
    assert current != dumped
    app = create_app({"STORE_PATH": str(path), "QUERY_WORKERS": 1, "ACCESS_LOG": False})
    try:
        web = app.test_client()
        listing = web.get("/dumps/?format=json").get_json()
        assert (listing["version"], listing["current_version"]) == (dumped, current)
        assert {f["name"] for f in listing["files"]} == NAMES
        body = fetch(web, "/dumps/all.nq.gz").data
        entry = next(f for f in listing["files"] if f["name"] == "all.nq.gz")
        assert hashlib.sha256(body).hexdigest() == entry["sha256"]
        html = web.get("/dumps/", headers={"Accept": "text/html"}).data.decode()
        assert dumped in html
        described = web.get("/sparql", headers={"Accept": "text/turtle"})
        void = described.data.decode()
        assert "/dumps/all.nq.gz" in void and f'"{dumped}"' in void

        VersionedStore.open(path, create=False).refresh_dumps()
        # Same data version, new dumps: the description changed, so revalidation gets it.
        again = web.get(
            "/sparql",
            headers={"Accept": "text/turtle", "If-None-Match": described.headers["ETag"]},
        )
        assert again.status_code == 200 and f'"{current}"' in again.data.decode()
        listing = web.get("/dumps/?format=json").get_json()
        assert listing["version"] == listing["current_version"] == current
        entry = next(f for f in listing["files"] if f["name"] == "all.nq.gz")
        body = fetch(web, "/dumps/all.nq.gz").data
        assert len(list(ox.parse(gzip.decompress(body), ox.RdfFormat.N_QUADS))) == entry["triples"]
    finally:
        app.extensions["diplograph"].close()
