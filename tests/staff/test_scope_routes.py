"""Every staff route that takes a registration id answers 404 to anyone out of scope.

The routes are found by walking the URL map, so a new route is covered without editing
this test; for each, every role from the wrong centre/region (and roles that may not act on
registrations at all) gets 404 on GET and on POST, whatever the route does.
"""
from __future__ import annotations

import pytest

from selfreg.models import Role

ID_ARGUMENTS = {"registration_id"}


def _registration_routes(app):
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("staff.") and rule.arguments & ID_ARGUMENTS:
            for method in sorted(rule.methods & {"GET", "POST"}):
                routes.append((rule, method))
    return routes


def test_registration_routes_exist(app):
    # The guide and counsellor pages act on registrations by id; if none were found, the
    # matrix below would prove nothing.
    assert len(_registration_routes(app)) >= 5



@pytest.mark.parametrize("who", ["guide_b", "counsellor_b", "admin", "counsellor_none"])
def test_out_of_scope_users_get_404_everywhere(app, world, make_user, login, submitted_in_a, who):
    role, scope = {
        "guide_b": (Role.GUIDE, {"centres": [world.centre_b]}),
        "counsellor_b": (Role.COUNSELLOR, {"region": world.region_b}),
        "admin": (Role.ADMIN, {}),
        "counsellor_none": (Role.COUNSELLOR, {}),
    }[who]
    client = login(app.test_client(), make_user(role, **scope))
    for rule, method in _registration_routes(app):
        values = {name: submitted_in_a for name in rule.arguments & ID_ARGUMENTS}
        for name in rule.arguments - ID_ARGUMENTS:
            converter = rule._converters[name]
            values[name] = 1 if type(converter).__name__ == "IntegerConverter" else "x"
        with app.test_request_context():
            from flask import url_for

            url = url_for(rule.endpoint, **values)
        response = client.open(url, method=method, data={})
        assert response.status_code == 404, (who, method, url, response.status_code)
