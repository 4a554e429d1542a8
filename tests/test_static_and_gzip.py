"""Static files under content-hashed names, cached for a year; gzip for text responses."""
from __future__ import annotations

import gzip
import re

from selfreg.assets import hashed

GZIP = {"Accept-Encoding": "gzip, deflate"}


def asset_urls(page: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', page)


def test_pages_link_static_files_by_content_hash(client):
    urls = asset_urls(client.get("/").get_data(as_text=True))
    assert urls, "no static files linked"
    for url in urls:
        assert re.search(r"\.[0-9a-f]{8}\.(css|js|svg|png)$", url), url
    assert any(url.startswith("/static/css/app.") for url in urls)
    assert sum(url.startswith("/static/js/") for url in urls) == 3


def test_hashed_files_are_immutable_and_plain_names_revalidate(client):
    css = next(u for u in asset_urls(client.get("/").get_data(as_text=True)) if u.endswith(".css"))
    response = client.get(css)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Type"].startswith("text/css")
    plain = client.get("/static/css/app.css")
    assert plain.status_code == 200 and plain.headers["Cache-Control"] == "no-cache"
    assert plain.data == response.data
    assert client.get("/static/css/app.00000000.css").status_code == 404


def test_the_hash_follows_the_content():
    assert hashed("css/app.css", "3f2a9c1b" + "0" * 56) == "css/app.3f2a9c1b.css"
    assert hashed("LICENCE", "3f2a9c1b" + "0" * 56) == "LICENCE.3f2a9c1b"


def test_static_text_is_gzipped_once_and_revalidates_cheaply(client):
    js = next(u for u in asset_urls(client.get("/").get_data(as_text=True)) if "/js/offline." in u)
    packed = client.get(js, headers=GZIP)
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    plain = client.get(js)
    assert "Content-Encoding" not in plain.headers
    assert gzip.decompress(packed.data) == plain.data
    again = client.get(js, headers={**GZIP, "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304


def test_pages_are_gzipped_when_asked_and_big_enough(client):
    page = client.get("/", headers=GZIP)
    assert page.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in page.headers["Vary"]
    assert page.headers["Cache-Control"] == "no-store"
    assert b"<!doctype html>" in gzip.decompress(page.data)
    assert int(page.headers["Content-Length"]) == len(page.data)
    assert "Content-Encoding" not in client.get("/").headers
    small = client.get("/healthz", headers=GZIP)  # under 500 bytes: not worth it
    assert "Content-Encoding" not in small.headers


def test_images_are_not_gzipped_again(client):
    manifest = client.get("/manifest.webmanifest").get_json()
    png = next(icon["src"] for icon in manifest["icons"] if icon["type"] == "image/png")
    response = client.get(png, headers=GZIP)
    assert response.status_code == 200 and "Content-Encoding" not in response.headers
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_gzip_can_be_left_to_a_proxy(make_app, monkeypatch):
    monkeypatch.setenv("SELFREG_GZIP", "0")
    client = make_app().test_client()
    assert "Content-Encoding" not in client.get("/", headers=GZIP).headers
