"""Who may reach the counsellor's pages: only counsellors, only for submitted profiles of
their own region; everyone and everything else gets 404. Every POST wants its CSRF token."""
from __future__ import annotations

from selfreg.models import Role

from .test_counsellor_profile import DUF, submitted_profile


def _counsellor_urls(app, registration_id: str) -> list[tuple[str, str]]:
    """(method, url) for every counsellor route, filled in for this registration."""
    from flask import url_for

    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("staff.counsellor"):
            continue
        values = {"registration_id": registration_id, "step_key": "work", "entry_id": "x"}
        values = {name: values[name] for name in rule.arguments}
        if rule.endpoint == "staff.counsellor_correct_step":
            values["step_key"] = "name"
        with app.test_request_context():
            url = url_for(rule.endpoint, **values)
        for method in sorted(rule.methods & {"GET", "POST"}):
            urls.append((method, url))
    return urls


def test_only_counsellors_of_the_region_reach_a_submitted_profile(
        app, world, make_user, login, registration_in):
    submitted = submitted_profile(app, registration_in, world.centre_a)
    unsubmitted = submitted_profile(app, registration_in, world.centre_a, duf="2023 0000 0099",
                                    submit=False)
    urls = _counsellor_urls(app, submitted)
    assert len(urls) >= 12

    own = login(app.test_client(), make_user(Role.COUNSELLOR, region=world.region_a))
    assert own.get(f"/staff/counsellor/profile/{submitted}").status_code == 200
    assert own.get(f"/staff/counsellor/profile/{submitted}/step/work/entry/x").status_code == 404
    assert own.get(f"/staff/counsellor/profile/{submitted}/step/nowhere").status_code == 404
    assert own.get(f"/staff/counsellor/profile/{submitted}/step/work").status_code == 404  # a list
    for method, url in _counsellor_urls(app, unsubmitted):
        if "/profile/" in url:
            assert own.open(url, method=method, data={}).status_code == 404, (method, url)
    found = own.post("/staff/counsellor/find", data={"duf_number": "2023 0000 0099"})
    assert found.status_code == 200 and "No submitted profile" in found.get_data(as_text=True)

    other_region = login(app.test_client(), make_user(Role.COUNSELLOR, region=world.region_b))
    for method, url in urls:
        if "/profile/" in url:
            assert other_region.open(url, method=method, data={}).status_code == 404, (method, url)
    missing = other_region.post("/staff/counsellor/find", data={"duf_number": DUF})
    assert missing.status_code == 200 and "Location" not in missing.headers
    assert submitted[:4].upper() not in other_region.get("/staff/counsellor").get_data(as_text=True)

    for role, scope in ((Role.GUIDE, {"centres": [world.centre_a]}), (Role.ADMIN, {})):
        client = login(app.test_client(), make_user(role, **scope))
        for method, url in urls:
            assert client.open(url, method=method, data={}).status_code == 404, (role, method, url)
        assert b"/staff/counsellor" not in client.get("/staff/home").data  # no link either

    anonymous = app.test_client()
    response = anonymous.get(f"/staff/counsellor/profile/{submitted}")
    assert response.headers["Location"].endswith("/staff/")


def test_every_counsellor_post_refuses_a_missing_csrf_token(app, world, make_user, login,
                                                            registration_in):
    submitted = submitted_profile(app, registration_in, world.centre_a)
    client = login(app.test_client(), make_user(Role.COUNSELLOR, region=world.region_a))
    assert b"/staff/counsellor" in client.get("/staff/home").data
    app.config["WTF_CSRF_ENABLED"] = True
    posts = [url for method, url in _counsellor_urls(app, submitted) if method == "POST"]
    assert len(posts) == 7
    for url in posts:
        if "/entry/" in url:
            continue  # "x" is no entry: 404 before anything is read
        response = client.post(url, data={"duf_number": DUF, "recommendation": "x", "v:name":
                                          "document_seen", "given_names": "Mallory"})
        assert response.status_code == 400, (url, response.status_code)
    app.config["WTF_CSRF_ENABLED"] = False
    page = client.get(f"/staff/counsellor/profile/{submitted}").get_data(as_text=True)
    assert "Mallory" not in page and "Marked as followed up" not in page
    assert 'value="document_seen" checked' not in page
