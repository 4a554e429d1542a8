"""CSS uses logical properties only, so right-to-left pages mirror without extra rules."""
from __future__ import annotations

import re
from pathlib import Path

CSS = Path(__file__).resolve().parents[2] / "static" / "css"
PHYSICAL = re.compile(
    r"(?<![\w-])(margin|padding|border)-(left|right)\b|(?<![\w-])(left|right)\s*:|"
    r"float\s*:\s*(left|right)|text-align\s*:\s*(left|right)|clear\s*:\s*(left|right)"
)


def test_stylesheets_have_no_left_or_right():
    sheets = list(CSS.glob("*.css"))
    assert sheets
    for sheet in sheets:
        for number, line in enumerate(sheet.read_text(encoding="utf-8").splitlines(), 1):
            assert not PHYSICAL.search(line), f"{sheet.name}:{number}: {line.strip()}"


def test_user_text_is_bidi_isolated_in_templates():
    """Free text a person wrote is shown inside <bdi> or with dir="auto"."""
    templates = Path(__file__).resolve().parents[2] / "templates"
    answers = (templates / "macros" / "answers.html").read_text(encoding="utf-8")
    assert '<bdi class="own-words">' in answers
    forms = (templates / "macros" / "forms.html").read_text(encoding="utf-8")
    assert forms.count('dir="auto"') >= 3
