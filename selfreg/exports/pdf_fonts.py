"""Which Noto font draws which script, and where the font files are.

No single font covers every script our residents write in, so the PDF uses one base font
(Noto Sans: Latin, Cyrillic, Greek, punctuation) and one font per other script, taken from
Debian's ``fonts-noto-core`` (installed on the servers and in CI). A paragraph is set in the
font of its first letter's script, and fpdf2 switches to another loaded font for each run of
characters that font lacks (``FPDF.set_fallback_fonts``). This module only says which fonts a
document needs — by the scripts of its characters, so that a document without Ge'ez neither
parses nor embeds the Ethiopic font — and finds their files.

Files are looked up in ``$SELFREG_FONT_DIR`` when it is set (and only there: a deployment that
ships its own fonts gets exactly those), otherwise in Debian's Noto folder and then wherever
fontconfig (``fc-list``) knows of them.
"""
from __future__ import annotations

import enum
import os
import shutil
import subprocess  # nosec B404: runs fc-list only, with a fixed argument list
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Iterable

DEBIAN_PACKAGE = "fonts-noto-core"
FONT_DIR_ENV = "SELFREG_FONT_DIR"
DEFAULT_FONT_DIRS: tuple[Path, ...] = (Path("/usr/share/fonts/truetype/noto"),)


class FontMissing(RuntimeError):
    """A font the document needs is not installed."""


class Script(enum.Enum):
    """Scripts that need their own font. Everything else is drawn with the base font."""

    BASE = "Latin, Cyrillic, Greek"
    ARABIC = "Arabic script (Arabic, Dari, Persian, Pashto, Sorani)"
    ETHIOPIC = "Ge'ez script (Tigrinya, Amharic)"
    GEORGIAN = "Georgian script"


# Code point ranges (inclusive) of the scripts the base font lacks.
_RANGES: dict[Script, tuple[tuple[int, int], ...]] = {
    Script.ARABIC: (
        (0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF),
        (0xFB50, 0xFDFF), (0xFE70, 0xFEFF),
    ),
    Script.ETHIOPIC: (
        (0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F), (0x1E7E0, 0x1E7FF),
    ),
    Script.GEORGIAN: ((0x10A0, 0x10FF), (0x1C90, 0x1CBF), (0x2D00, 0x2D2F)),
}


@dataclass(frozen=True)
class Face:
    """A font family for one script: candidate file names, best first, per style."""

    family: str
    regular: tuple[str, ...]
    bold: tuple[str, ...]

    def candidates(self, bold: bool) -> tuple[str, ...]:
        return self.bold if bold else self.regular


# Naskh is the book style Arabic-script readers expect for running text; Noto Sans Arabic
# (same package) is the stand-in.
FACES: dict[Script, Face] = {
    Script.BASE: Face("NotoSans", ("NotoSans-Regular.ttf",), ("NotoSans-Bold.ttf",)),
    Script.ARABIC: Face(
        "NotoArabic",
        ("NotoNaskhArabic-Regular.ttf", "NotoSansArabic-Regular.ttf"),
        ("NotoNaskhArabic-Bold.ttf", "NotoSansArabic-Bold.ttf"),
    ),
    Script.ETHIOPIC: Face(
        "NotoEthiopic", ("NotoSansEthiopic-Regular.ttf",), ("NotoSansEthiopic-Bold.ttf",)
    ),
    Script.GEORGIAN: Face(
        "NotoGeorgian", ("NotoSansGeorgian-Regular.ttf",), ("NotoSansGeorgian-Bold.ttf",)
    ),
}


def script_of(char: str) -> Script:
    code = ord(char)
    for script, ranges in _RANGES.items():
        if any(low <= code <= high for low, high in ranges):
            return script
    return Script.BASE


def scripts_in(text: str) -> set[Script]:
    # Most text is Latin: test each distinct character once.
    return {script_of(char) for char in set(text)}


@dataclass(frozen=True)
class FontFile:
    script: Script
    family: str
    bold: bool
    path: Path


def needed_fonts(texts: Iterable[tuple[str, bool]]) -> list[FontFile]:
    """The font files for ``(text, bold)`` pairs: base regular and bold always, others as used.

    Raises ``FontMissing`` naming the Debian package when a needed file is not found.
    """
    wanted: set[tuple[Script, bool]] = {(Script.BASE, False), (Script.BASE, True)}
    for text, bold in texts:
        wanted.update((script, bold) for script in scripts_in(text))
    found = []
    for script, bold in sorted(wanted, key=lambda item: (list(Script).index(item[0]), item[1])):
        face = FACES[script]
        found.append(FontFile(script, face.family, bold, _locate(face.candidates(bold), script)))
    return found


def _locate(names: tuple[str, ...], script: Script) -> Path:
    where = _font_files(os.environ.get(FONT_DIR_ENV) or None)
    for name in names:
        if name in where:
            return where[name]
    searched = os.environ.get(FONT_DIR_ENV) or ", ".join(
        [str(folder) for folder in DEFAULT_FONT_DIRS] + ["fontconfig"]
    )
    raise FontMissing(
        f"No font for {script.value}: none of {', '.join(names)} found in {searched}. "
        f"Install the Debian package {DEBIAN_PACKAGE} (apt-get install {DEBIAN_PACKAGE})"
        f" or set {FONT_DIR_ENV} to a folder holding these files."
    )


@cache
def _font_files(font_dir: str | None) -> dict[str, Path]:
    """{file name: path} of the fonts we may use; cached, as fonts do not move while we run."""
    if font_dir is not None:
        return _files_in([Path(font_dir)])
    files = _files_in(DEFAULT_FONT_DIRS)
    for name, path in _fontconfig_files().items():
        files.setdefault(name, path)
    return files


def _files_in(folders: Iterable[Path]) -> dict[str, Path]:
    files: dict[str, Path] = {}
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.glob("*.ttf")):
                files.setdefault(path.name, path)
    return files


def _fontconfig_files() -> dict[str, Path]:
    """Our font files as fontconfig knows them, wherever installed (other layouts, ~/.fonts)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return {}
    try:
        listing = subprocess.run(  # nosec B603: fc-list from PATH, fixed arguments, no shell
            [fc_list, "--format", "%{file}\n"],
            capture_output=True, text=True, timeout=10, check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    ours = {name for face in FACES.values() for name in face.regular + face.bold}
    files: dict[str, Path] = {}
    for line in sorted(listing.splitlines()):
        path = Path(line.strip())
        if path.name in ours:
            files.setdefault(path.name, path)
    return files
