"""Make the small Ethiopic fallback font shipped for Tigrinya and Amharic pages.

Some stripped-down Android builds have no Ge'ez glyphs. We subset Noto Sans Ethiopic (SIL Open
Font Licence 1.1, from Debian's fonts-noto-core) to the characters our ti/am catalogues, the
CLDR names shown on those pages, and the whole basic Ethiopic syllabary use, as WOFF2.

Run: python tools/subset_ethiopic.py [path/to/NotoSansEthiopic-Regular.ttf]
Needs: pip install fonttools brotli (build time only).
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po
from fontTools import subset

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path("/usr/share/fonts/truetype/noto/NotoSansEthiopic-Regular.ttf")
OUTPUT = ROOT / "static" / "fonts" / "noto-sans-ethiopic-subset.woff2"
# The Ethiopic block (U+1200–U+137F): every syllable a name typed by a person may use.
ETHIOPIC = range(0x1200, 0x1380)


def used_characters() -> set[str]:
    chars = {chr(code) for code in ETHIOPIC}
    for locale in ("ti", "am"):
        with (ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            for message in read_po(handle):
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                for text in strings:
                    chars.update(char for char in text if ord(char) >= 0x1200)
    return chars


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["kern"]  # Ge'ez needs no shaping; kerning only
    options.hinting = False  # hints are most of the size; modern renderers do not need them
    options.name_IDs = ["*"]  # keep the licence and copyright names
    options.notdef_outline = True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(char) for char in used_characters()])
    subsetter.subset(font)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(OUTPUT), options)
    print(f"{OUTPUT.relative_to(ROOT)}: {OUTPUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
