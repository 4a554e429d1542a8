"""Helpers shared by the admin pages: the guard, paging, choices, rendering."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from flask import render_template, request, url_for
from sqlalchemy import Select, func, select
from wtforms.fields.choices import SelectChoice

from ... import db
from ...models import Centre, Region, Role
from ...staff_i18n import _s
from ..auth import current_user, login_required

PER_PAGE = 50

# Every admin view carries this guard: not logged in -> login page, any other role -> 404.
admin_required = login_required(Role.ADMIN)


@dataclass(frozen=True)
class Page:
    items: list[Any]
    number: int
    pages: int
    total: int

    @property
    def prev_url(self) -> str | None:
        return _page_url(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return _page_url(self.number + 1) if self.number < self.pages else None


def _page_url(number: int) -> str:
    args = request.args.to_dict()
    args["page"] = number
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def paginate(query: Select, *, scalars: bool = True) -> Page:
    """One page (``?page=``, 50 rows) of ``query``, which must already be ordered."""
    session = db.session()
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    pages = max(1, math.ceil(total / PER_PAGE))
    number = min(max(request.args.get("page", 1, type=int), 1), pages)
    paged = query.limit(PER_PAGE).offset((number - 1) * PER_PAGE)
    items = list(session.scalars(paged)) if scalars else list(session.execute(paged))
    return Page(items, number, pages, total)


def region_choices() -> list[SelectChoice]:
    regions = db.session().scalars(select(Region).order_by(Region.name))
    return [SelectChoice("", _s("(none)"))] + [SelectChoice(str(r.id), r.name) for r in regions]


def centre_choices() -> list[SelectChoice]:
    centres = db.session().scalars(select(Centre).order_by(Centre.name))
    return [SelectChoice(c.id, c.name) for c in centres]


def region_from_choice(value: str | None) -> Region | None:
    return db.session().get(Region, int(value)) if value else None


def centres_from_choice(ids: list[int] | None) -> list[Centre]:
    if not ids:
        return []
    return list(db.session().scalars(select(Centre).where(Centre.id.in_(ids))))


def when(value: datetime | None) -> str:
    """A time for tables: UTC, to the minute (column headers say UTC)."""
    if value is None:
        return "–"
    return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M")


def render(template: str, status: int = 200, **context: Any):
    return render_template(template, admin=current_user(), when=when, **context), status


def stale_form_message() -> str:
    return _s("The form was open too long. Try again.")
