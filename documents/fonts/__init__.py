"""The fonts every document prints with, vendored beside this file.

Documents never name a system font: the stylesheet's families are declared by
``@font-face`` rules pointing at these files, so the same data gives the same
PDF on every server whatever fonts it has installed. ``manifest.json`` (written
by ``build.py``) lists each file with its family, weight and SHA-256.

A character that no vendored font has would otherwise be drawn by whatever
system font fontconfig finds (different bytes on another server) or as an empty
box; it is replaced by ``SUBSTITUTE`` and reported, so the clerk can correct the
data or write the character in by hand.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from documents.fonts.charset import SUBSTITUTE, tongyong_guifan_codepoints

# WeasyPrint warns on import when the system has no font at all; the documents never
# use system fonts (documents.W001 checks the vendored ones), so that is no fault here.
warnings.filterwarnings("ignore", message="No fonts configured in FontConfig", category=UserWarning)

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.json"
# Whitespace the layout handles itself; never a glyph.
LAYOUT_CHARACTERS = frozenset("\n\r\t")

__all__ = [
    "SUBSTITUTE",
    "FontFile",
    "FontsUnusable",
    "coverage",
    "font_face_css",
    "problems",
    "substitute_unprintable",
    "unprintable",
]


class FontsUnusable(Exception):
    """The vendored fonts are missing or damaged: printing would crash or print boxes."""


@dataclass(frozen=True)
class FontFile:
    path: Path
    family: str
    weight: int
    role: str
    sha256: str
    codepoints: int


@cache
def font_files() -> tuple[FontFile, ...]:
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return tuple(
        FontFile(
            path=HERE / entry["file"],
            family=entry["family"],
            weight=entry["weight"],
            role=entry["role"],
            sha256=entry["sha256"],
            codepoints=entry["codepoints"],
        )
        for entry in manifest["fonts"]
    )


def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap())


def problems() -> list[str]:
    """What is wrong with the vendored fonts, in Chinese; empty when they can print."""
    import hashlib

    try:
        files = font_files()
    except (OSError, ValueError, KeyError) as exc:
        return [f"字体清单 {MANIFEST} 缺失或损坏（{exc}）。"]
    found = []
    required = tongyong_guifan_codepoints()
    for font in files:
        try:
            data = font.path.read_bytes()
        except OSError as exc:
            found.append(f"字体文件 {font.path.name} 无法读取（{exc.strerror or exc}）。")
            continue
        if hashlib.sha256(data).hexdigest() != font.sha256:
            found.append(f"字体文件 {font.path.name} 与字体清单记录的 SHA-256 不符，可能已损坏。")
            continue
        try:
            cmap = _cmap(font.path)
        except Exception as exc:  # fontTools raises many kinds on a damaged file
            found.append(f"字体文件 {font.path.name} 无法解析（{exc}）。")
            continue
        if len(cmap) != font.codepoints:
            found.append(
                f"字体文件 {font.path.name} 收字 {len(cmap)} 个，字体清单记录为 {font.codepoints} 个。"
            )
        if font.role == "main" and (missing := required - cmap):
            found.append(
                f"字体文件 {font.path.name} 缺少通用规范汉字表中的 {len(missing)} 个字"
                f"（如“{''.join(chr(c) for c in sorted(missing)[:5])}”）。"
            )
    if not any(font.role == "main" for font in files):
        found.append("字体清单中没有正文字体。")
    return found


@cache
def _verified() -> tuple[str, ...]:
    return tuple(problems())


def ensure_usable() -> None:
    """Raise FontsUnusable unless the files are as the manifest says (checked once per process,
    then only that they are still there)."""
    found = _verified()
    if not found:
        missing = [font.path.name for font in font_files() if not font.path.is_file()]
        if missing:
            found = (f"字体文件 {'、'.join(missing)} 已不存在。",)
    if found:
        raise FontsUnusable(" ".join(found))


@cache
def coverage() -> frozenset[int]:
    """Every code point some vendored font can print (raises FontsUnusable if damaged)."""
    ensure_usable()
    covered: set[int] = set()
    for font in font_files():
        covered |= _cmap(font.path)
    return frozenset(covered)


def unprintable(text: str) -> list[str]:
    """The characters of ``text`` that no vendored font has, each once, in order of first use."""
    covered = coverage()
    seen: dict[str, None] = {}
    for char in text:
        if char not in seen and ord(char) not in covered and char not in LAYOUT_CHARACTERS:
            seen[char] = None
    return list(seen)


def substitute_unprintable(text: str, chars: Iterable[str]) -> str:
    table = {ord(char): SUBSTITUTE for char in chars}
    return text.translate(table) if table else text


def font_face_css() -> str:
    """The @font-face rules that bind the stylesheet's families to the vendored files."""
    rules = []
    for font in font_files():
        rules.append(
            "@font-face {"
            f' font-family: "{font.family}";'
            f" src: url({font.path.as_uri()});"
            f" font-weight: {font.weight};"
            " font-style: normal; }"
        )
    return "\n".join(rules)
