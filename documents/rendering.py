"""From a document's data to A4 PDF and DOCX bytes.

One Django template per document type writes plain HTML in a small
vocabulary; WeasyPrint prints it with the shared stylesheet
``templates/documents/print.css``, and ``html_to_docx`` turns the same HTML
into a Word document, so the two formats never say different things.

The HTML vocabulary both outputs understand:

* ``h1`` the title, ``h2`` a section heading, ``p`` a paragraph
  (classes ``center``, ``right``, ``indent``, ``addressee``, ``note``);
* ``ol``/``ul`` with ``li``; ``table`` with ``tr``/``th``/``td`` (class ``plain``
  for a table without rules, e.g. signature blocks);
* inside text: ``strong``, ``br``, ``span class="blank"`` (a line to write on);
* ``div`` groups blocks; class ``seal`` marks where the office seal goes; class
  ``pdf-only`` (a chart drawn in SVG, its data in a table beside it) prints only in the
  PDF.

Rendering is deterministic: the same data and template give the same bytes,
on any server. The PDF prints only with the fonts vendored in
``documents/fonts`` (bound by ``@font-face``, never a system family), and a
character none of them has is printed as ``〓`` and reported in
``Rendered.unprintable`` instead of falling back to whatever the system has.
"""

from __future__ import annotations

import atexit
import gc
import hashlib
import io
import os
import re
import threading
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import get_template, render_to_string

from documents import fonts

# fontTools stamps a font it subsets with the current time unless this is set; it
# does so when WeasyPrint lacks libharfbuzz-subset. A fixed time keeps the bytes fixed.
os.environ.setdefault("SOURCE_DATE_EPOCH", "946684800")

STYLESHEET = "documents/print.css"
DOCX_EPOCH = datetime(
    2000, 1, 1, tzinfo=UTC
)  # zip entries carry no real time: same bytes every time


@dataclass(frozen=True)
class Rendered:
    html: str
    pdf: bytes
    docx: bytes
    # Characters of the data that no vendored font has, printed in the PDF as 〓.
    unprintable: tuple[str, ...] = ()


def template_path(name: str) -> Path:
    return Path(get_template(name).origin.name)


def template_digest(template_name: str) -> str:
    """SHA-256 of the template, the shared base, the stylesheet and the font manifest:
    what shapes the output."""
    digest = hashlib.sha256()
    for name in (template_name, "documents/base.html", STYLESHEET):
        digest.update(template_path(name).read_bytes())
    digest.update(fonts.MANIFEST.read_bytes())
    return digest.hexdigest()


def render_html(template_name: str, title: str, data: dict[str, Any]) -> str:
    return render_to_string(template_name, {"title": title, "d": data})


class PrinterMissing(Exception):
    """The server lacks the system libraries WeasyPrint needs (Pango)."""


class _Printer:
    """One font configuration per process, holding the vendored fonts and the stylesheet.

    Building it copies the font files into a temporary folder for fontconfig, so it is
    made once and reused; Pango's font map is not safe to share between threads, so
    one document prints at a time in a process.
    """

    def __init__(self, css_path: Path) -> None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.mtime = css_path.stat().st_mtime
        self.font_config = FontConfiguration()
        stylesheet = fonts.font_face_css() + "\n" + css_path.read_text(encoding="utf-8")
        self.stylesheet = CSS(
            string=stylesheet, base_url=str(css_path), font_config=self.font_config
        )


_printer: _Printer | None = None
_printer_lock = threading.Lock()


@atexit.register
def _release_printer() -> None:
    """Remove the fonts' temporary folder while the interpreter can still do it."""
    global _printer
    _printer = None
    gc.collect()


def html_to_pdf(html: str) -> bytes:
    """Print the HTML (whose every character the vendored fonts have) to PDF bytes.

    Raises ``fonts.FontsUnusable`` when the vendored fonts are missing or damaged:
    with no usable face Pango would crash the process, so it is never asked.
    """
    global _printer
    fonts.ensure_usable()
    try:
        from weasyprint import HTML
    except OSError as exc:  # Pango or its fonts libraries are not installed
        raise PrinterMissing(str(exc)) from exc

    css_path = template_path(STYLESHEET)
    with _printer_lock:
        if _printer is None or _printer.mtime != css_path.stat().st_mtime:
            _printer = _Printer(css_path)
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
            stylesheets=[_printer.stylesheet], font_config=_printer.font_config
        )


def render(template_name: str, title: str, data: dict[str, Any]) -> Rendered:
    html = render_html(template_name, title, data)
    missing = fonts.unprintable(html)
    printable = fonts.substitute_unprintable(html, missing)
    rendered = Rendered(
        html=html,
        pdf=html_to_pdf(printable),
        docx=html_to_docx(html, title=title),  # Word has the reader's fonts: keep every character
        unprintable=tuple(missing),
    )
    # WeasyPrint leaves ~70 MiB of font data in reference cycles per document; collect it
    # now so a worker that prints all day does not grow until the collector gets round to it.
    gc.collect()
    return rendered


# --- DOCX ---------------------------------------------------------------------------

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
BODY_FONT = "宋体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"


def _set_font(run_or_style, east_asian: str, size_pt: float | None = None, bold=None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = run_or_style.font
    font.name = LATIN_FONT
    element = run_or_style.element if hasattr(run_or_style, "element") else run_or_style._element
    r_pr = element.get_or_add_rPr()
    r_fonts = r_pr.get_or_add_rFonts()
    r_fonts.set(qn("w:eastAsia"), east_asian)
    if size_pt is not None:
        font.size = Pt(size_pt)
    if bold is not None:
        font.bold = bold


class _DocxWriter:
    """Walks the document's HTML and writes the matching Word paragraphs and tables."""

    def __init__(self, title: str) -> None:
        from docx import Document
        from docx.shared import Mm, Pt

        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(30), Mm(28)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        normal = self.doc.styles["Normal"]
        _set_font(normal, BODY_FONT, 12)
        normal.paragraph_format.line_spacing = 1.5
        normal.paragraph_format.space_after = Pt(0)
        self.title = title
        self._footer()

    def _footer(self) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        paragraph = self.doc.sections[0].footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

        def field(instruction: str) -> None:
            element = OxmlElement("w:fldSimple")
            element.set(qn("w:instr"), instruction)
            run = OxmlElement("w:r")
            text = OxmlElement("w:t")
            text.text = "1"
            run.append(text)
            element.append(run)
            paragraph._p.append(element)

        paragraph.add_run("第 ")
        field("PAGE")
        paragraph.add_run(" 页 共 ")
        field("NUMPAGES")
        paragraph.add_run(" 页")

    # Inline content -------------------------------------------------------------

    def _inline(self, paragraph, element, *, bold: bool = False, font: str | None = None) -> None:
        """Text, <strong>, <br> and blank lines of one element into the paragraph."""
        if element.text:
            self._run(paragraph, element.text, bold=bold, font=font)
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == "br":
                paragraph.add_run().add_break()
            elif tag in ("strong", "b"):
                self._inline(paragraph, child, bold=True, font=font)
            elif tag == "span" and "blank" in (span_classes := child.get("class", "").split()):
                width = 2 if "short" in span_classes else 5
                run = self._run(paragraph, (child.text_content() or "").ljust(width, "\u3000"))
                run.font.underline = True
            elif tag:
                self._inline(paragraph, child, bold=bold, font=font)
            if child.tail:
                self._run(paragraph, child.tail, bold=bold, font=font)

    def _run(self, paragraph, text: str, *, bold: bool = False, font: str | None = None):
        text = CONTROL_CHARACTERS.sub("", text)  # not allowed in Word's XML
        text = " ".join(text.split()) if "\n" in text or "  " in text else text
        run = paragraph.add_run(text)
        if bold:
            run.bold = True
        if font:
            _set_font(run, font)
        return run

    # Blocks ---------------------------------------------------------------------

    def block(self, element, *, right: bool = False) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        tag = element.tag if isinstance(element.tag, str) else ""
        classes = set(element.get("class", "").split())
        if not tag or "pdf-only" in classes:
            return
        if tag in ("div", "section", "header", "footer", "main", "body"):
            for child in element:
                self.block(child, right="seal" in classes or right)
            return
        if tag == "h1":
            paragraph = self.doc.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.space_after = Pt(12)
            self._inline(paragraph, element)
            for run in paragraph.runs:
                _set_font(run, BODY_FONT, 22, bold=True)
            return
        if tag == "h2":
            paragraph = self.doc.add_paragraph()
            paragraph.paragraph_format.space_before = Pt(6)
            self._inline(paragraph, element)
            for run in paragraph.runs:
                _set_font(run, HEADING_FONT, 14, bold=True)
            return
        if tag == "p":
            paragraph = self.doc.add_paragraph()
            if "center" in classes or "doc-number" in classes or "office" in classes:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif "right" in classes or right:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if "indent" in classes:
                paragraph.paragraph_format.first_line_indent = Pt(24)
            self._inline(paragraph, element)
            if "office" in classes:
                for run in paragraph.runs:
                    run.font.size = Pt(14)
            if "note" in classes:
                for run in paragraph.runs:
                    run.font.size = Pt(10.5)
            return
        if tag in ("ol", "ul"):
            for number, item in enumerate(element.findall("li"), start=1):
                paragraph = self.doc.add_paragraph()
                paragraph.paragraph_format.left_indent = Pt(24)
                paragraph.paragraph_format.first_line_indent = Pt(-18)
                self._run(paragraph, f"{number}．" if tag == "ol" else "・")
                self._inline(paragraph, item)
            return
        if tag == "table":
            self._table(element, plain="plain" in classes)
            return
        # Anything else prints as a paragraph of its text.
        paragraph = self.doc.add_paragraph()
        self._inline(paragraph, element)

    def _table(self, element, *, plain: bool) -> None:
        from docx.shared import Pt

        rows = list(element.iter("tr"))
        if not rows:
            return
        width = max(
            sum(int(cell.get("colspan", "1")) for cell in tr if cell.tag in ("td", "th"))
            for tr in rows
        )
        table = self.doc.add_table(rows=len(rows), cols=width)
        table.autofit = False
        if not plain:
            table.style = "Table Grid"
        widths = _column_widths(rows, width)
        for column, column_width in zip(table.columns, widths, strict=True):
            column.width = column_width  # the grid, which LibreOffice reads
        for r, tr in enumerate(rows):
            c = 0
            for cell_element in tr:
                if cell_element.tag not in ("td", "th"):
                    continue
                span = int(cell_element.get("colspan", "1"))
                cell = table.cell(r, c)
                if span > 1:
                    cell = cell.merge(table.cell(r, c + span - 1))
                paragraph = cell.paragraphs[0]
                paragraph.paragraph_format.line_spacing = 1.2
                self._inline(paragraph, cell_element, bold=cell_element.tag == "th")
                for run in paragraph.runs:
                    run.font.size = Pt(10.5)
                c += span
            for index, cell in enumerate(table.rows[r].cells):
                cell.width = widths[index]
        self.doc.add_paragraph()

    def finish(self, created: datetime) -> bytes:
        props = self.doc.core_properties
        props.title = self.title
        props.author = props.last_modified_by = "潜江市行政争议化解工作室案件管理系统"
        props.created = props.modified = created
        props.revision = 1
        out = io.BytesIO()
        self.doc.save(out)
        return _normalise_zip(out.getvalue())


TEXT_WIDTH_MM = 210 - 28 - 26  # A4 less the left and right margins


def _units(text: str) -> int:
    """Width in half-em units: a Chinese character is about twice a digit or Latin letter."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _column_widths(rows, count: int):
    """Share the text width among the columns as a browser would.

    Every column first gets room for its heading and its longest number or code
    (these must not break); what is left goes to the columns with more text.
    """
    import re

    from docx.shared import Mm

    least = [4] * count
    wanted = [4] * count
    for tr in rows:
        column = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            span = int(cell.get("colspan", "1"))
            if span == 1:
                text = cell.text_content().strip()
                unbroken = max((len(t) for t in re.findall(r"[\x21-\x7e]+", text)), default=0)
                floor = _units(text) + 1 if cell.tag == "th" else unbroken
                least[column] = max(least[column], floor + 2)
                wanted[column] = max(wanted[column], min(_units(text), 60) + 2)
            column += span
    line = TEXT_WIDTH_MM / 1.85  # half-em units on one line at 10.5 pt
    spare = max(line - sum(least), 0)
    extra = [max(w - m, 0) for w, m in zip(wanted, least, strict=True)]
    units = [
        m + (spare * e / sum(extra) if sum(extra) else 0) for m, e in zip(least, extra, strict=True)
    ]
    total = sum(units)
    return [Mm(TEXT_WIDTH_MM * u / total) for u in units]


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite the .docx zip with fixed timestamps so equal content gives equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=DOCX_EPOCH.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def html_to_docx(html: str, *, title: str) -> bytes:
    from lxml import html as lxml_html

    root = lxml_html.document_fromstring(html)
    writer = _DocxWriter(title)
    body = root.find("body")
    for child in body if body is not None else root:
        writer.block(child)
    return writer.finish(DOCX_EPOCH)
