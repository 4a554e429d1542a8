"""Option lists shared by several questions, in plain words (about CEFR A2)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .model import Option

YES_NO = (
    Option("yes", _l("Yes")),
    Option("no", _l("No")),
)

YES_NO_UNSURE = YES_NO + (Option("unsure", _l("I do not know")),)

# Plain-word self-assessment; the option codes are the CEFR levels they stand for.
LANGUAGE_LEVELS = (
    Option("none", _l("Not at all")),
    Option("A1", _l("A few words"), _l("For example: hello, thank you, numbers.")),
    Option("A2", _l("Simple everyday things"), _l("For example: shopping, asking the way.")),
    Option("B1", _l("Ordinary conversations"), _l("For example: talking about family and work.")),
    Option("B2", _l("Most things, also at work"), _l("For example: meetings, the news.")),
    Option("C1", _l("Very well, almost like my first language")),
)

STUDY_STATUS = (
    Option("completed", _l("I finished")),
    Option("interrupted", _l("I had to stop before the end")),
    Option("ongoing", _l("I was still studying when I left")),
)

INTERRUPTION_REASONS = (
    Option("war", _l("War or danger")),
    Option("flight", _l("I had to leave the country")),
    Option("money", _l("Money or work")),
    Option("family", _l("Family reasons")),
    Option("health", _l("Health")),
    Option("other", _l("Another reason")),
)

DOCUMENTS = (
    Option("with_me", _l("Yes, I have them with me")),
    Option("can_get", _l("Yes, I can get them sent")),
    Option("no", _l("No")),
    Option("lost", _l("They were lost or destroyed")),
)

YEARS_OF_SCHOOL_MAX = 20
