"""A print-ready summary as plain data: what the PDF renderer (``pdf``) draws.

The counsellor view decides what a summary says (labels, order, wording); the renderer only
decides how it looks. Keeping the two apart behind these frozen dataclasses lets the renderer
be tested without Flask or a database, and lets other documents (the resident's own copy) reuse
it.

Labels are written by us (Norwegian Bokmål); values may be the person's own free text in any
script. A value therefore carries its language and direction, so that Arabic-script text is
shaped and laid out right to left even inside a Norwegian document.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Direction = Literal["ltr", "rtl", "auto"]
DIRECTIONS: tuple[str, ...] = ("ltr", "rtl", "auto")


@dataclass(frozen=True)
class Row:
    """One labelled value: the label in the left column, the value wrapped in the right one.

    ``lang`` is the BCP 47 tag of the value ("fa-AF", "ti", "ckb"; ``None`` when it is ours,
    i.e. Bokmål); it selects language-specific glyph forms when the text is shaped.
    ``direction`` is that of the value's script: pass the locale's direction when the value is
    the person's free text; "auto" (the default) takes it, paragraph by paragraph, from the
    first letter with a strong direction (Unicode bidi rules P2/P3). A right-to-left value is
    aligned to the right edge of its column. ``note`` is a short Norwegian remark printed
    small under the value (e.g. "Selvrapportert").
    """

    label: str
    value: str
    lang: str | None = None
    direction: Direction = "auto"
    note: str | None = None

    def __post_init__(self) -> None:
        if self.direction not in DIRECTIONS:
            raise ValueError(f"direction must be one of {DIRECTIONS}, not {self.direction!r}")


@dataclass(frozen=True)
class Section:
    title: str
    rows: tuple[Row, ...] = ()

    def __post_init__(self) -> None:
        # Accept any sequence from the caller, keep an immutable one.
        object.__setattr__(self, "rows", tuple(self.rows))


@dataclass(frozen=True)
class Document:
    """A whole summary.

    ``title`` is also the PDF's metadata title, so it should not name the person: file
    browsers and indexers show metadata. Personal details belong in ``subtitle`` and the rows,
    which are printed but not put in metadata. ``header_rows`` are printed in a shaded band
    under the title (the person's language and interpreter need come first).
    ``generated_at`` must be timezone-aware: it is printed as given (so pass Norway's time,
    Europe/Oslo) and stored in the metadata as an instant; a naive time is ambiguous, and
    refused.
    ``lang`` is the document's language (BCP 47), written to the PDF catalogue.
    """

    title: str
    subtitle: str | None
    generated_at: datetime
    header_rows: tuple[Row, ...] = ()
    sections: tuple[Section, ...] = ()
    lang: str = "nb"

    def __post_init__(self) -> None:
        if self.generated_at.tzinfo is None or self.generated_at.utcoffset() is None:
            raise ValueError("generated_at must be timezone-aware (Europe/Oslo)")
        object.__setattr__(self, "header_rows", tuple(self.header_rows))
        object.__setattr__(self, "sections", tuple(self.sections))
