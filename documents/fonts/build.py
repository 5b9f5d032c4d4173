"""Build the vendored document fonts from the upstream Noto CJK files.

    python -m documents.fonts.build --upstream /usr/share/fonts/opentype/noto

or ``make fonts``, which downloads Debian's fonts-noto-cjk package first. The
upstream files are checked against the SHA-256 sums below, so the same inputs
and the fontTools version of uv.lock give the same bytes; ``manifest.json``
records what was used.

Output, beside this file:

* four main files (Serif and Sans, Regular and Bold) with the 8,105 characters
  of the 通用规范汉字表, GB 2312's punctuation and symbols, Latin-1, general and
  CJK punctuation, full-width forms and every character the templates use;
* one Serif Regular file with every ideograph the upstream font has beyond the
  Basic Multilingual Plane (Extension B and later: rare characters of names such
  as 𠮷), plus the punctuation, so that a line that continues in it after a rare
  character still has its spaces and commas.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

from documents.fonts import charset

HERE = Path(__file__).resolve().parent

UPSTREAM_PACKAGE = "fonts-noto-cjk 1:20220127+repack1-1 (Debian 12 bookworm)"
UPSTREAM = {
    "NotoSerifCJK-Regular.ttc": "a04178ec485dffdff7cc0c0c20e1fce9202d7e2160d805e8e44a4c8841c58481",
    "NotoSerifCJK-Bold.ttc": "a5d4b046c127da3d7c72f98b46c41489cd29bf52abfdf18aba920903e920d4ac",
    "NotoSansCJK-Regular.ttc": "b76b0433203017ca80401b2ee0dd69350349871c4b19d504c34dbdd80541690a",
    "NotoSansCJK-Bold.ttc": "faa5f3656a78b2e2d450d27fe8382c778bc2b6bb5ea29c986664a6a435056ceb",
}
# (output file, upstream collection, face name in the collection, CSS family, weight, what)
OUTPUTS = (
    ("NotoSerifCJKsc-Regular.subset.otf", "NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC",
     "QJ Noto Serif CJK SC", 400, "main"),
    ("NotoSerifCJKsc-Bold.subset.otf", "NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC",
     "QJ Noto Serif CJK SC", 700, "main"),
    ("NotoSansCJKsc-Regular.subset.otf", "NotoSansCJK-Regular.ttc", "Noto Sans CJK SC",
     "QJ Noto Sans CJK SC", 400, "main"),
    ("NotoSansCJKsc-Bold.subset.otf", "NotoSansCJK-Bold.ttc", "Noto Sans CJK SC",
     "QJ Noto Sans CJK SC", 700, "main"),
    ("NotoSerifCJKsc-Regular.ext.otf", "NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC",
     "QJ Noto Serif CJK SC Ext", 400, "rare"),
)  # fmt: skip


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _face(collection_path: Path, face_name: str):
    from fontTools.ttLib import TTCollection

    for font in TTCollection(str(collection_path)).fonts:
        if font["name"].getDebugName(1) == face_name:
            return font
    raise SystemExit(f"{collection_path.name} has no face named {face_name!r}")


def build(upstream: Path, *, out_dir: Path = HERE, any_version: bool = False) -> dict:
    import fontTools
    from fontTools import subset

    inputs = {}
    for name, expected in UPSTREAM.items():
        path = upstream / name
        if not path.exists():
            raise SystemExit(f"missing upstream file {path}")
        digest = _sha256(path)
        if digest != expected and not any_version:
            raise SystemExit(
                f"{path} is not the upstream version this build pins ({UPSTREAM_PACKAGE}); "
                "pass --any-version to build from it anyway and update UPSTREAM"
            )
        inputs[name] = digest

    punctuation = {ord(c) for c in charset.gb2312_symbols() | charset.block_characters()}
    main = set(charset.required())
    low, high = charset.SUPPLEMENTARY_IDEOGRAPHS
    fonts = []
    for filename, source, face_name, family, weight, what in OUTPUTS:
        font = _face(upstream / source, face_name)
        cmap = font.getBestCmap()
        if what == "main":
            missing = sorted(cp for cp in charset.tongyong_guifan_codepoints() if cp not in cmap)
            if missing:
                raise SystemExit(f"{face_name} lacks {''.join(map(chr, missing))}")
            wanted = main & set(cmap)
        else:
            wanted = {cp for cp in cmap if low <= cp <= high} | (punctuation & set(cmap))
        options = subset.Options()
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=wanted)
        subsetter.subset(font)
        font.recalcTimestamp = False  # keep upstream's date: same input, same bytes
        out = out_dir / filename
        font.save(str(out), reorderTables=True)
        fonts.append(
            {
                "file": filename,
                "family": family,
                "weight": weight,
                "role": what,
                "upstream_file": source,
                "upstream_face": face_name,
                "upstream_version": font["name"].getDebugName(5),
                "codepoints": len(font.getBestCmap()),
                "sha256": _sha256(out),
            }
        )
        print(f"{filename}: {len(font.getBestCmap())} characters, {out.stat().st_size:,} bytes")
    manifest = {
        "upstream": {"package": UPSTREAM_PACKAGE, "files": inputs},
        "fonttools": fontTools.version,
        "fonts": fonts,
    }
    (out_dir / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--upstream",
        type=Path,
        default=Path("/usr/share/fonts/opentype/noto"),
        help="folder with NotoSerifCJK-{Regular,Bold}.ttc and NotoSansCJK-{Regular,Bold}.ttc",
    )
    parser.add_argument(
        "--any-version", action="store_true", help="build from upstream files of another version"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=HERE,
        help="where to write the fonts (default: beside this file)",
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    build(args.upstream, out_dir=args.out, any_version=args.any_version)


if __name__ == "__main__":
    main()
