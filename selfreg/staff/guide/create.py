"""Create registrations one by one or in batches, and show their codes — once.

The codes and one-time links exist in clear only in this response: the database keeps keyed
hashes. So the codes page is the POST's own answer (never cached, nothing in a URL), and the
code slips are printed from the same data, posted back from that page (selfreg.staff.guide.slips).
"""
from __future__ import annotations

from flask import render_template, request

from ... import access_codes, db
from ...i18n import supported
from .. import bp
from ..auth import login_required
from ..scope import centre_for, visible_centres
from . import operations
from .common import guide, reference
from .forms import CreateForm

DEFAULT_SLIP_LANGUAGES = ("nb", "en")


def create_form() -> CreateForm:
    form = CreateForm()
    form.centre.choices = [(centre.id, centre.name) for centre in visible_centres(guide())]
    return form


def render_codes(items: list[dict], *, languages=DEFAULT_SLIP_LANGUAGES, error=None, status=200):
    """``items``: dicts with reference, code (canonical) and token of each new registration."""
    for item in items:
        item["shown_code"] = access_codes.format_code(item["code"])
    return render_template("staff/guide/codes.html", items=items, locales=supported(),
                           chosen=set(languages), error=error), status


@bp.route("/guide/new", methods=["GET", "POST"])
@login_required("guide")
def guide_create():
    user = guide()
    form = create_form()
    if request.method == "POST":
        if form.validate():
            centre = centre_for(user, form.centre.data)
            created = operations.create(db.session(), user, centre, form.count.data)
            db.session().commit()
            return render_codes([
                {"reference": reference(item.registration), "code": item.code,
                 "token": item.link_token}
                for item in created
            ])
        return render_template("staff/guide/create.html", form=form), 400
    return render_template("staff/guide/create.html", form=form)
