"""The admin's statistics page: the same tables as ``flask --app selfreg stats``, as charts.

Bar charts are drawn on the server as inline SVG (no JavaScript, no style attributes: the CSP
forbids them), one per table, each with a ``<title>``, text labels and a table of the same
numbers for screen readers. The viewBox lets a chart shrink to a 320 px screen. Suppressed
counts arrive here as None and are shown as "under N"; nothing on the page can say more.
Each view decrypts every submitted registration (see ``selfreg.exports.stats``) and is
audited as ``stats.view``, without a registration id.
"""
from __future__ import annotations

from dataclasses import dataclass

from babel.numbers import format_decimal
from flask import current_app, render_template

from .. import audit, db, keys
from ..exports import stats
from ..models import Role
from ..staff_i18n import _ls, _s, staff_locale
from . import bp
from .auth import current_user, login_required

STATS_VIEW = audit.Action.STATS_VIEW

# Chart geometry, in viewBox units (the SVG scales to the width it is given).
WIDTH = 320
LABEL_BASELINE = 16  # first label line, from the top of a row
LINE_HEIGHT = 17  # further label lines
BAR_GAP, BAR_HEIGHT = 6, 14  # between the last label line and the bar
VALUE_BASELINE = 12  # the number, from the top of the bar
ROW_GAP = 8
VALUE_ROOM = 64  # right of the longest bar, for its number
TOP = 4
LABEL_CHARS = 40  # per line; a label takes at most two lines on the chart, the table has it whole
LABEL_LINES = 2

# What each table is, in the staff's words (English source, translated to Bokmål).
TITLES = {
    "centre": _ls("Reception centre"),
    "municipality": _ls("Municipality (of the centre)"),
    "age_band": _ls("Age group"),
    "education_nus": _ls("Highest completed education (NUS2000)"),
    "education_field": _ls("Field of education (ISCED-F 2013, broad field)"),
    "mother_tongue": _ls("First language"),
    "other_languages": _ls("Other languages"),
    "norwegian_level": _ls("Norwegian, speaking (own assessment, CEFR)"),
    "english_level": _ls("English, speaking (own assessment, CEFR)"),
    "occupation_group": _ls("Work experience (ISCO-08 major group)"),
    "wish_work_group": _ls("Wished work in Norway (ISCO-08 major group)"),
    "wish_education": _ls("Wish for education in Norway"),
    "training_need": _ls("Own view: needs more education or training"),
    "training_needs": _ls("Own view: what is needed"),
}


@dataclass(frozen=True)
class Bar:
    label: str  # whole
    lines: tuple[tuple[str, int], ...]  # (text, baseline y): the label as it fits on the chart
    value_text: str  # the number, or "under 5"
    suppressed: bool
    bar_y: int
    value_y: int
    width: float
    value_x: float


@dataclass(frozen=True)
class Chart:
    dimension: str
    title: str
    multiple: bool
    bars: tuple[Bar, ...]
    height: int
    width: int = WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def anchor(self) -> str:
        return f"stat-{self.dimension.replace('_', '-')}"


def _shorten(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def wrap(text: str) -> list[str]:
    """The label in lines of at most LABEL_CHARS, broken between words; the last shortened."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= LABEL_CHARS:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > LABEL_LINES:
        lines[LABEL_LINES - 1:] = [" ".join(lines[LABEL_LINES - 1:])]
    return [_shorten(line) for line in lines] or [""]


def number(value: int, locale: str) -> str:
    return format_decimal(value, locale=locale)


def chart(table: stats.Table, min_cell: int, locale: str) -> Chart:
    largest = table.largest or 1
    scale = (WIDTH - VALUE_ROOM) / largest
    under = _s("under %(num)d", num=min_cell)
    bars = []
    top = TOP
    for cell in table.cells:
        label = cell.label(locale)
        lines = wrap(label)
        bar_y = top + LABEL_BASELINE + (len(lines) - 1) * LINE_HEIGHT + BAR_GAP
        width = 0.0 if cell.suppressed else round(cell.count * scale, 1)
        bars.append(Bar(
            label=label,
            lines=tuple((line, top + LABEL_BASELINE + n * LINE_HEIGHT)
                        for n, line in enumerate(lines)),
            value_text=under if cell.suppressed else number(cell.count, locale),
            suppressed=cell.suppressed, bar_y=bar_y, value_y=bar_y + VALUE_BASELINE,
            width=width, value_x=round(width + 6, 1),
        ))
        top = bar_y + BAR_HEIGHT + ROW_GAP
    return Chart(table.dimension, str(TITLES[table.dimension]), table.multiple, tuple(bars),
                 height=top)


@bp.route("/statistics")
@login_required(Role.ADMIN)
def statistics():
    session = db.session()
    min_cell = stats.configured_min_cell(current_app.config)
    result = stats.compute(session, keys.keyring(), min_cell=min_cell)
    audit.record(session, STATS_VIEW, user_id=current_user().id, detail=f"min_cell {min_cell}")
    session.commit()
    locale = staff_locale()
    return render_template(
        "staff/statistics.html", result=result, locale=locale,
        charts=[chart(table, min_cell, locale) for table in result.tables],
        people_text=(_s("under %(num)d", num=min_cell) if result.people_suppressed
                     else number(result.people, locale)),
        generated=result.generated_at.strftime("%Y-%m-%d %H:%M"),
    )
