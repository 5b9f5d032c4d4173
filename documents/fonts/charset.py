"""The characters the vendored document fonts must print.

Shared by the build script (what to keep when subsetting) and the system check
(what the files on disk must still cover). No Django here.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
TONGYONG_GUIFAN = HERE / "charset" / "tongyong-guifan-hanzi.txt"
# The templates and the code that writes document text (Chinese numerals, labels).
TEMPLATE_SOURCES = (
    HERE.parent.parent / "templates" / "documents",
    HERE.parent,
)

# Blocks kept whole: Latin-1, General Punctuation, CJK Symbols and Punctuation
# (、。〔〕〇〓…), Halfwidth and Fullwidth Forms (，：（）０-９ Ａ-Ｚ).
BLOCKS = ((0x0020, 0x007E), (0x00A0, 0x00FF), (0x2000, 0x206F), (0x3000, 0x303F), (0xFF00, 0xFFEF))

# Printed in place of a character that no vendored font has: the geta mark, which
# Chinese and Japanese typesetters have long used for a character missing from the case.
SUBSTITUTE = "〓"

# Ideographs outside the Basic Multilingual Plane: CJK Extension B and later, where
# rare characters of personal and place names (生僻字, e.g. 𠮷) live.
SUPPLEMENTARY_IDEOGRAPHS = (0x20000, 0x3FFFF)


def tongyong_guifan() -> frozenset[str]:
    """The 8,105 characters of the 通用规范汉字表."""
    lines = TONGYONG_GUIFAN.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def tongyong_guifan_codepoints() -> frozenset[int]:
    return frozenset(ord(c) for c in tongyong_guifan())


def gb2312_symbols() -> frozenset[str]:
    """Every non-ideograph of GB 2312 (the punctuation, numerals ①Ⅰ㈠, Greek, Cyrillic,
    kana, pinyin letters, zhuyin and box drawing rows that GB 18030 carries over)."""
    found = set()
    for codepoint in range(0x80, 0x10000):
        if 0x4E00 <= codepoint <= 0x9FFF or 0xD800 <= codepoint <= 0xDFFF:
            continue
        char = chr(codepoint)
        try:
            char.encode("gb2312")
        except UnicodeEncodeError:
            continue
        found.add(char)
    return frozenset(found)


def block_characters() -> frozenset[str]:
    return frozenset(chr(cp) for start, end in BLOCKS for cp in range(start, end + 1))


def template_characters() -> frozenset[str]:
    """Every character written in the document templates and the document code."""
    found: set[str] = set()
    for source in TEMPLATE_SOURCES:
        for path in sorted(source.rglob("*")):
            if path.suffix in {".html", ".css", ".py"} and "migrations" not in path.parts:
                found.update(path.read_text(encoding="utf-8"))
    return frozenset(found)


@cache
def required() -> frozenset[int]:
    """The code points the main document fonts keep (those of the blocks where upstream has
    them; every other one the build requires)."""
    chars = tongyong_guifan() | gb2312_symbols() | block_characters() | template_characters()
    return frozenset(ord(c) for c in chars if c.isprintable() or c == "\u3000")
