"""Installable and offline-safe: manifest, service worker, offline page, clearing on leaving."""
from __future__ import annotations

import json
import re
import struct

import pytest

from tests.resident.walk import accept_privacy, sign_in, walk


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_manifest_makes_the_site_installable(client):
    response = client.get("/manifest.webmanifest?lang=en")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/manifest+json"
    manifest = response.get_json()
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["name"] == "My competence" and manifest["short_name"]
    assert manifest["lang"] == "en" and manifest["dir"] == "ltr"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    sizes = {}
    for icon in manifest["icons"]:
        image = client.get(icon["src"])
        assert image.status_code == 200, icon
        assert image.headers["Content-Type"].startswith(icon["type"])
        if icon["type"] == "image/png":
            width, height = png_size(image.data)
            assert f"{width}x{height}" == icon["sizes"]
        sizes.setdefault(icon.get("purpose", "any"), []).append(icon["sizes"])
    assert {"192x192", "512x512", "any"} <= set(sizes["any"])
    assert sizes["maskable"] == ["512x512"]


@pytest.mark.parametrize("locale", ["nb", "en"])
def test_manifest_speaks_the_readers_language(client, locale):
    manifest = client.get(f"/manifest.webmanifest?lang={locale}").get_json()
    assert manifest["lang"] == locale and manifest["dir"] == "ltr"
    page = client.get(f"/?lang={locale}").get_data(as_text=True)
    assert f'<link rel="manifest" href="/manifest.webmanifest?lang={locale}">' in page


def test_service_worker_is_served_from_the_root(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/javascript")
    assert response.headers["Cache-Control"] == "no-cache"
    first_line, source = response.get_data(as_text=True).split("\n", 1)
    settings = json.loads(first_line.removeprefix("self.SELFREG = ").rstrip(";"))
    assert "addEventListener('fetch'" in source
    for url in settings["precache"] + [settings["queue"]]:
        assert client.get(url).status_code == 200, url
    assert any(url.startswith("/static/css/app.") for url in settings["precache"])
    assert not any("/audio/" in url for url in settings["precache"])
    assert settings["offline"] == "/offline"
    assert client.get("/sw.js", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


def test_offline_page_is_generic(client, create_registration):
    _rid, code, _ = create_registration()
    sign_in(client, code)
    response = client.get("/offline?lang=en")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Content-Language"] == "en"
    assert "You have no internet now" in page
    assert "csrf_token" not in page and "data-owner" not in page  # nothing of the session


def test_signed_in_pages_carry_an_owner_tag_and_the_save_hints(client, create_registration):
    _rid, code, _ = create_registration()
    sign_in(client, code)
    accept_privacy(client)
    page = client.get("/q/name").get_data(as_text=True)
    owner = re.search(r'data-owner="([0-9a-f]{16})"', page).group(1)
    assert _rid not in page  # the tag is keyed, not the registration id
    assert 'data-save="/q/name/save"' in page
    assert 'name="idempotency_key"' in page and 'name="revision" value="0"' in page
    other_client_page = client.get("/q/birth").get_data(as_text=True)
    assert f'data-owner="{owner}"' in other_client_page


def test_leaving_and_sending_tell_the_browser_to_forget_the_site(client, create_registration):
    _rid, code, _ = create_registration()
    sign_in(client, code)
    accept_privacy(client)
    walk(client)
    submitted = client.post("/submit")
    assert submitted.status_code == 303
    assert submitted.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert 'data-clear' in client.get("/receipt").get_data(as_text=True)
    left = client.post("/signout")
    assert left.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert "Clear-Site-Data" not in client.get("/").headers
