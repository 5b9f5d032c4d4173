"""The documents print with the vendored fonts only: same bytes anywhere, no box, no crash."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core import checks
from django.urls import reverse

from cases.services.common import ServiceError
from documents import checks as document_checks
from documents import fonts
from documents.fonts import charset
from documents.models import Document
from tests.documents.helpers import distinct_person, make, output
from tests.factories import accepted_case

EMPTY_FONTCONFIG = Path(__file__).with_name("fonts-empty.conf")


def _cmap(role: str) -> frozenset[int]:
    covered: set[int] = set()
    for font in fonts.font_files():
        if font.role == role:
            covered |= fonts._cmap(font.path)
    return frozenset(covered)


def test_the_vendored_files_are_as_the_manifest_says():
    assert fonts.problems() == []
    manifest = json.loads(fonts.MANIFEST.read_text(encoding="utf-8"))
    assert manifest["upstream"]["package"].startswith("fonts-noto-cjk 1:20220127")
    families = {(font.family, font.weight) for font in fonts.font_files()}
    assert families == {
        ("QJ Noto Serif CJK SC", 400),
        ("QJ Noto Serif CJK SC", 700),
        ("QJ Noto Sans CJK SC", 400),
        ("QJ Noto Sans CJK SC", 700),
        ("QJ Noto Serif CJK SC Ext", 400),
    }
    licence = (fonts.HERE / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence


def test_the_character_list_is_the_whole_tongyong_guifan_hanzi_biao():
    chars = charset.tongyong_guifan()
    assert len(chars) == 8105
    assert {"的", "潜", "汉", "𬌗"} <= chars  # 𬌗 (Extension E) is in the list too


def test_every_main_font_has_the_list_the_symbols_and_the_template_characters():
    wanted = charset.tongyong_guifan() | charset.gb2312_symbols() | charset.template_characters()
    wanted_codepoints = {ord(c) for c in wanted if c.isprintable() or c == "\u3000"}
    for font in fonts.font_files():
        if font.role == "main":
            assert wanted_codepoints <= fonts._cmap(font.path), font.path.name


def test_every_character_the_templates_write_is_printable():
    text = "".join(sorted(charset.template_characters()))
    assert fonts.unprintable(text) == []


def test_the_stylesheet_names_only_vendored_families():
    css = (settings.BASE_DIR / "templates" / "documents" / "print.css").read_text()
    named = {
        name.strip().strip('"')
        for line in css.splitlines()
        if "font-family:" in line
        for name in line.split("font-family:")[1].split(";")[0].split(",")
    }
    assert named == {font.family for font in fonts.font_files()}


@pytest.fixture
def rare():
    """A character of a name beyond the BMP that only the second (rare) font has."""
    main, extra = _cmap("main"), _cmap("rare")
    return chr(min(cp for cp in extra - main if cp > 0xFFFF))


@pytest.fixture
def missing():
    """An ideograph no vendored font has (CJK Extension G)."""
    covered = fonts.coverage()
    return chr(next(cp for cp in range(0x30000, 0x3134B) if cp not in covered))


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_today")
def test_a_rare_character_from_the_second_font_is_printed(office, clerk, head, rare):
    case = accepted_case(office, clerk, head, applicants=[distinct_person(name=f"吉{rare}")])
    document = make(case, clerk, "acceptance_notice")
    out = output(document)
    assert f"吉{rare}：" in out.pdf_flat
    assert document.unprintable == ""


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_today")
def test_a_character_no_font_has_is_printed_as_a_mark_and_reported(
    client_as, office, clerk, head, missing
):
    case = accepted_case(office, clerk, head, applicants=[distinct_person(name=f"王{missing}明")])
    client = client_as(clerk)
    response = client.post(
        reverse("documents:generate", args=[case.pk]), {"kind": "acceptance_notice"}, follow=True
    )
    document = Document.objects.get(case=case, kind="acceptance_notice")
    assert document.unprintable == missing
    out = output(document)
    assert "王〓明：" in out.pdf_flat
    assert f"王{missing}明" in out.docx_flat  # Word prints with the reader's fonts
    page = response.content.decode()
    notice = f"字符 “{missing}”（U+{ord(missing):04X}） 文书字体没有，已以“〓”代替"
    assert notice in page  # in the message after making it …
    page = client.get(case.get_absolute_url()).content.decode()
    assert notice in page  # … and beside the version on the case page


RENDER_SCRIPT = """
import hashlib, django
django.setup()
from documents.rendering import render
data = {json}
out = render("documents/acceptance_notice.html", "受理通知书", data)
print(hashlib.sha256(out.pdf).hexdigest())
"""


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_today")
def test_the_same_data_gives_the_same_bytes_without_any_system_font(office, clerk, head, rare):
    """Another server, with no font installed at all, prints the very same file."""
    case = accepted_case(office, clerk, head, applicants=[distinct_person(name=f"吉{rare}")])
    document = make(case, clerk, "acceptance_notice")
    script = RENDER_SCRIPT.replace("{json}", repr(document.data))
    digests = set()
    for fontconfig in (None, EMPTY_FONTCONFIG):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "qianjiang_mediation.settings"}
        env.pop("FONTCONFIG_FILE", None)
        if fontconfig:
            env["FONTCONFIG_FILE"] = str(fontconfig)
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        digests.add(result.stdout.split()[-1])
    assert digests == {document.pdf.sha256}


# --- Damaged fonts ------------------------------------------------------------------------


@pytest.fixture
def damaged_fonts(tmp_path, monkeypatch):
    """A copy of the fonts folder with the Serif Regular file cut short."""
    for path in fonts.HERE.iterdir():
        if path.suffix in {".otf", ".json"}:
            (tmp_path / path.name).symlink_to(path)
    victim = tmp_path / "NotoSerifCJKsc-Regular.subset.otf"
    victim.unlink()
    victim.write_bytes(Path(fonts.HERE, victim.name).read_bytes()[:4096])
    monkeypatch.setattr(fonts, "HERE", tmp_path)
    monkeypatch.setattr(fonts, "MANIFEST", tmp_path / "manifest.json")
    caches = (fonts.font_files, fonts._verified, fonts.coverage)
    for cached in caches:
        cached.cache_clear()
    yield victim
    for cached in caches:
        cached.cache_clear()


def test_a_damaged_font_is_named_in_chinese(damaged_fonts):
    assert fonts.problems() == [
        "字体文件 NotoSerifCJKsc-Regular.subset.otf 与字体清单记录的 SHA-256 不符，可能已损坏。"
    ]


def test_a_missing_font_is_named_in_chinese(damaged_fonts):
    damaged_fonts.unlink()
    [problem] = fonts.problems()
    assert problem.startswith("字体文件 NotoSerifCJKsc-Regular.subset.otf 无法读取")


def test_the_system_check_warns_about_the_vendored_files(damaged_fonts):
    warnings = [w for w in document_checks.printing(None) if w.id == "documents.W001"]
    assert len(warnings) == 1
    assert warnings[0].level == checks.WARNING
    assert "NotoSerifCJKsc-Regular.subset.otf" in warnings[0].msg
    assert "拒绝打印" in warnings[0].msg


def test_the_system_check_is_quiet_with_the_fonts_of_the_repository():
    assert [w.id for w in document_checks.printing(None) if w.id != "documents.W002"] == []


def test_the_system_check_warns_without_libharfbuzz_subset(monkeypatch):
    monkeypatch.setattr(document_checks.ctypes.util, "find_library", lambda name: None)
    ids = [w.id for w in document_checks.printing(None)]
    assert "documents.W002" in ids


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_today")
def test_making_a_document_with_damaged_fonts_is_refused_without_a_crash(
    client_as, office, clerk, head, damaged_fonts
):
    case = accepted_case(office, clerk, head)
    with pytest.raises(ServiceError, match="文书字体文件缺失或损坏"):
        make(case, clerk, "acceptance_notice")
    response = client_as(clerk).post(
        reverse("documents:generate", args=[case.pk]), {"kind": "acceptance_notice"}, follow=True
    )
    assert "服务器上的文书字体文件缺失或损坏，暂时不能制作文书" in response.content.decode()
    assert not Document.objects.filter(case=case).exists()


def test_the_empty_font_configuration_has_no_font_directory():
    text = EMPTY_FONTCONFIG.read_text()
    assert "<dir" not in text and "<include" not in text
