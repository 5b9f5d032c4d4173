"""Helpers the case views share."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import cached_property

from cases.forms.records import AccessPurposeForm
from cases.identifiers import mask_citizen_id
from cases.models import AccessKind, AccessPurpose, Attachment, Case
from cases.selectors import badge_text, bounded_count
from cases.services.access import record_access
from cases.services.common import ServiceError, StaleEdit


def form_error(form: forms.BaseForm, exc: ServiceError) -> None:
    """Show a service's refusal beside the field it concerns, or above the form."""
    if exc.field and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        form.add_error(None, exc.message)


# A list counts its rows up to this many pages. Beyond, it says so and offers those pages
# only: an exact count, and an offset deep into 100,000 rows, read every row before it,
# and a register that large is narrowed with its filters, not paged through. Forty pages
# (1,000 rows of the register) take about a millisecond to count at any size of the data.
COUNTED_PAGES = 40


def counted_limit(per_page: int, pages: int | None = None) -> int:
    """How far a CountedPaginator of ``per_page`` rows counts."""
    return per_page * (COUNTED_PAGES if pages is None else pages)


def total_text(rows: QuerySet, limit: int) -> str:
    """How many ``rows`` there are, as a badge shows it: counted no further than
    ``limit`` (bounded_count), and "1000+" beyond."""
    return badge_text(bounded_count(rows, limit), limit)


class CountedPaginator(Paginator):
    """A paginator that counts at most ``pages`` pages of rows (``bounded`` says there are
    more), on ``counted`` when given: the same rows without the joins the page needs only
    for its order (Paginator would COUNT over those joins), or their number as
    ``bounded_count(counted, limit)`` gave it, where the view counted them with others
    (``counted_limit``)."""

    def __init__(
        self,
        object_list: QuerySet | list,
        per_page: int,
        *,
        counted: QuerySet | int | None = None,
        pages: int | None = None,
    ) -> None:
        super().__init__(object_list, per_page)
        self.counted = object_list if counted is None else counted
        self.limit = counted_limit(per_page, pages)

    @cached_property
    def _rows_up_to_limit(self) -> int:
        if isinstance(self.counted, int):
            return self.counted
        if isinstance(self.counted, list):  # rows read up to the limit and one more
            return len(self.counted)
        return bounded_count(self.counted, self.limit)

    @cached_property
    def count(self) -> int:
        return min(self._rows_up_to_limit, self.limit)

    @property
    def bounded(self) -> bool:
        """More rows than were counted: the pages stop at the limit."""
        return self._rows_up_to_limit > self.limit


def show_warnings(request: HttpRequest, warnings: list[str]) -> None:
    for warning in warnings:
        messages.warning(request, warning)


# --- The query string ------------------------------------------------------------------
# A page reads its dates and years from the query string within these bounds; a value
# outside them (or not a date at all) shows the default with a message, never an error.

QUERY_FIRST_DAY = date(2000, 1, 1)
QUERY_LAST_DAY = date(2099, 12, 31)


def query_date(request: HttpRequest, name: str, default: date, *, what: str, shown: str) -> date:
    """The date in ``?name=YYYY-MM-DD``, or ``default`` with a message saying what is shown."""
    value = request.GET.get(name, "").strip()
    if not value:
        return default
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or not QUERY_FIRST_DAY <= day <= QUERY_LAST_DAY:
        messages.warning(
            request,
            f"{what}应为 {QUERY_FIRST_DAY:%Y-%m-%d} 至 {QUERY_LAST_DAY:%Y-%m-%d} 之间的日期"
            f"（如 {default:%Y-%m-%d}），已显示{shown}。",
        )
        return default
    return day


def query_text(request: HttpRequest, name: str, max_length: int) -> str:
    """Search text from ``?name=``: control characters (a NUL, which PostgreSQL refuses in
    any string) dropped, surrounding space trimmed, at most ``max_length`` characters."""
    value = request.GET.get(name, "")
    return "".join(char for char in value if char.isprintable()).strip()[:max_length]


def query_year(request: HttpRequest, name: str, default: int) -> int:
    """The year in ``?name=YYYY``, or ``default`` with a message."""
    value = request.GET.get(name, "").strip()
    if not value:
        return default
    if value.isascii() and value.isdigit() and len(value) == 4:
        year = int(value)
        if QUERY_FIRST_DAY.year <= year <= QUERY_LAST_DAY.year:
            return year
    messages.warning(
        request,
        f"年份应为 {QUERY_FIRST_DAY.year} 至 {QUERY_LAST_DAY.year} 之间的四位数字，"
        f"已显示{default}年。",
    )
    return default


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# --- Two people editing one record ----------------------------------------------------


def submitted_initial(form: forms.BaseForm, name: str) -> Any:
    """The value a field had when the user opened the form (from its hidden initial input)."""
    field = form.fields[name]
    raw = field.hidden_widget().value_from_datadict(
        form.data, form.files, form.add_initial_prefix(name)
    )
    if isinstance(field, forms.MultiValueField):
        return raw
    try:
        return field.to_python(raw)
    except forms.ValidationError:
        return raw


def _same(a: Any, b: Any) -> bool:
    if a in (None, "") and b in (None, ""):
        return True
    return a == b


def display_value(instance: Any, name: str) -> str:
    value = getattr(instance, name)
    if value in (None, ""):
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    getter = getattr(instance, f"get_{name}_display", None)
    if getter is not None:
        return str(getter())
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    return str(value)


def changed_by_others(form: forms.BaseForm, latest: Any) -> set[str]:
    """Fields whose saved value differs from what the user's form started from."""
    masked = getattr(form, "MASKED_FIELDS", set())
    changed = set()
    for name in form.fields:
        if not hasattr(latest, name):
            continue
        if form.add_initial_prefix(name) not in form.data:
            # A page without starting values (an old tab): assume the worst.
            changed.add(name)
            continue
        saved = getattr(latest, name)
        if name in masked:
            saved = mask_citizen_id(saved) if saved else ""
        if not _same(saved, submitted_initial(form, name)):
            changed.add(name)
    return changed


def mark_conflicts(form: forms.BaseForm, latest: Any, mine: set[str]) -> set[str]:
    """Show, beside each field both people changed, what the other person saved.

    Returns the conflicting field names; empty means the two edits can be merged.
    """
    theirs = changed_by_others(form, latest)
    conflicts = {
        name
        for name in mine & theirs
        if not _same(getattr(latest, name), form.cleaned_data.get(name))
    }
    for name in sorted(conflicts):
        form.add_error(
            name,
            f"在您编辑期间，其他人已将此项改为“{display_value(latest, name)}”。"
            "如仍以您的填写为准，请再次保存。",
        )
    if conflicts:
        form.add_error(
            None,
            "在您编辑期间，其他人也修改了本案信息，标出的项目有冲突。您填写的内容都保留在下方；"
            "其他人修改而您未改动的项目会保留对方的修改。",
        )
    return conflicts


def save_merging(
    *,
    form: forms.BaseForm,
    version_form: forms.Form,
    mine: set[str],
    load_latest: Callable[[], tuple[Any, int]],
    save: Callable[[int], Any],
) -> str | None:
    """Save; if someone saved in between, merge their changes or show the conflicts.

    Returns ``"saved"``, ``"merged"`` (the other person's changes to other
    fields were kept) or ``None`` (conflicts shown on the form, nothing saved).
    """
    try:
        save(version_form.cleaned_data["version"])
        return "saved"
    except StaleEdit:
        latest, latest_version = load_latest()
        if mark_conflicts(form, latest, mine):
            version_form.data = version_form.data.copy()
            version_form.data[version_form.add_prefix("version")] = str(latest_version)
            return None
        save(latest_version)
        return "merged"


MERGED_NOTE = "在您编辑期间其他人也修改了本案，对方修改的其他项目已一并保留。"


def private_download(
    attachment: Attachment, filename: str, content_type: str = "application/octet-stream"
) -> FileResponse:
    """A stored file as a download, never shown inline and never cached.

    Uploads go out as octet-stream whatever they claim to be; the office's own
    generated documents may name their real type.
    """
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在") from None
    response = FileResponse(handle, as_attachment=True, filename=filename)
    response["Content-Type"] = content_type
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def logged_download(
    request: HttpRequest,
    attachment: Attachment,
    filename: str,
    *,
    kind: AccessKind,
    subject: str,
    case: Case | None = None,
    sensitive: bool = False,
    content_type: str = "application/octet-stream",
) -> HttpResponse:
    """A file taken out of the system, written to the access log with who, when, from
    where and why. A file that carries full ID numbers asks why first (GET shows the
    question, a POST with the reason gives the file); any other is logged as 办理本案."""
    purpose, note = AccessPurpose.CASE_WORK.value, ""
    if sensitive:
        form = AccessPurposeForm(request.POST if request.method == "POST" else None)
        if not form.is_valid():
            context = {"form": form, "subject": subject, "case": case, "filename": filename}
            return render(request, "cases/download_purpose.html", {**context, "page": "cases"})
        purpose, note = form.cleaned_data["purpose"], form.cleaned_data["purpose_note"]
    response = private_download(attachment, filename, content_type)
    record_access(
        request, kind=kind, subject=subject, case=case, purpose=purpose, purpose_note=note
    )
    return response
