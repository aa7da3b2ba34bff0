"""Reports: one data source, three renderers (HTML page, PDF, Excel).

A report is a function in `<app>/reports.py` that loads a fixed number of queries and returns
plain data (dataclasses) with a `plan` attribute. A view parses its filters, calls that
function and hands the result to `render_report`, which picks the renderer from `?formato=`:

- no `formato` (or `html`): the page `templates/reportes/pagina.html`, which extends
  `base.html`, shows the filters and links to the PDF and the Excel file of the same filters;
- `formato=pdf`: `templates/reportes/pdf.html` rendered to PDF by WeasyPrint: A4, landscape or
  portrait, the table header repeated on every page (WeasyPrint repeats `<thead>`), rows not
  split across pages, the plan's title and the date of issue at the top of every page, and
  "Página X de Y" at the bottom; fonts are the local DejaVu/Liberation families and WeasyPrint
  embeds them (subset) in the file; nothing is fetched but the application's own static files,
  read from disk (a partial may link its stylesheet: `{% static 'css/x.css' %}`);
- `formato=xlsx`: the report's own `xlsx(data, workbook)` function writes its sheets through
  `amc.excel` (one sheet per table, bold frozen header, widths, wrapped text, `#,##0.00`,
  merged groups, totals, formula-injection guard).

Both the page and the PDF `{% include %}` the same partial (the `template` argument), which
holds the table markup, so the screen and the file cannot drift apart. Any other value of
`formato` gets a 400 with a message that says which formats exist. Filters that do not parse
raise `InvalidFilter`; `report_view` turns it into the same kind of 400.

Example (a thin view)::

    @report_view
    def matriz_logica(request, plan_id):
        plan = plan_get(user=request.user, plan_id=plan_id)          # planes.selectors: 404 unless readable
        nivel, filtro = nivel_filter(request, default=Nivel.NACIONAL, todos=False)
        data = reports.matriz_logica(plan=plan, nivel=nivel)
        return render_report(
            request, data=data, template="matrices/reportes/_matriz_logica.html",
            title=f"Matriz lógica – {data.nivel_nombre}", filename=f"matriz-logica-{nivel}",
            orientation="landscape", xlsx=reports.matriz_logica_xlsx, filters=[filtro],
        )

Files are named `<plan code>_<filename>_<YYYY-MM-DD>.<ext>` (date of issue, Lima time).
"""
from __future__ import annotations

import contextlib
import contextvars
import functools
import gc
import io
import mimetypes
import os
import zlib
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence
from urllib.parse import unquote, urlencode, urljoin, urlsplit

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe

from amc import exportaciones
from amc.excel import ExcelWorkbook
from amc.versiones import por_version
from amc.vocabulario import NIVELES, nivel_opciones

FORMATS = {
    "html": None,
    "pdf": "application/pdf",
    "pdfa": "application/pdf",  # the same PDF as PDF/A-2a, for filing
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ORIENTATIONS = ("landscape", "portrait")
PAGE_TEMPLATE = "reportes/pagina.html"
PDF_TEMPLATE = "reportes/pdf.html"
BAD_REQUEST_TEMPLATE = "reportes/solicitud_invalida.html"
#: Stylesheets inlined into the PDF (and linked by the page): the table styles are shared.
PDF_STYLESHEETS = ("css/reportes.css", "css/reportes-print.css")


class InvalidFilter(Exception):
    """A filter value that does not exist (`?nivel=XX`); the message is shown to the user."""


@dataclass
class FilterField:
    """A filter of a report, shown as a select on the page and as text in the PDF/Excel.

    options: (value, label) pairs; `""` as a value means "all"."""

    name: str
    label: str
    options: Sequence[tuple[str, str]]
    selected: str = ""

    @property
    def selected_label(self) -> str:
        for value, label in self.options:
            if value == self.selected:
                return label
        return ""


@dataclass
class ReportContext:
    """What every renderer knows besides the data: title, plan, filters, date of issue."""

    title: str
    plan: Any
    filters: Sequence[FilterField] = field(default_factory=list)
    issued: Any = None
    created: Any = None  # the moment the file is made (the PDF's creation date)

    @property
    def author(self) -> str:
        """Who issues the file: the plan's responsible entity (the PDF's author)."""
        entidad = getattr(self.plan, "entidad_responsable", None)
        return entidad.nombre if entidad is not None else "AMC"

    @property
    def subject(self) -> str:
        """The PDF's subject: the report and the plan, with the filters in force."""
        parts = [self.title, self.plan.titulo if self.plan is not None else "", self.filters_text]
        return " · ".join(p for p in parts if p)

    @property
    def created_iso(self) -> str:
        return self.created.isoformat(timespec="seconds") if self.created else ""

    @property
    def filters_text(self) -> str:
        parts = [f"{f.label}: {f.selected_label}" for f in self.filters if f.selected_label]
        return " · ".join(parts)

    @property
    def issued_text(self) -> str:
        return self.issued.strftime("%d/%m/%Y") if self.issued else ""

    def heading_lines(self) -> list[str]:
        """The lines under a sheet's title: the plan, then filters and date of issue."""
        lines = [self.plan.titulo] if self.plan is not None else []
        if getattr(self.plan, "marca_demostracion", ""):
            lines.append(self.plan.marca_demostracion)
        tail = " · ".join(x for x in (self.filters_text, f"Emitido el {self.issued_text}") if x)
        lines.append(tail)
        return lines


class ReportWorkbook(ExcelWorkbook):
    """The workbook a report's xlsx function writes into; every sheet carries the heading."""

    def __init__(self, report: ReportContext):
        super().__init__(
            heading=report.heading_lines(),
            properties={"title": report.title, "subject": report.plan.titulo if report.plan else "", "creator": "AMC"},
            print_header=(report.title, report.plan.titulo if report.plan else ""),
        )
        self.report = report


def choice_param(request, name: str, allowed: Iterable[str], *, default: str = "", label: str | None = None) -> str:
    """A GET parameter that must be one of `allowed` ("" when absent and no default)."""
    value = request.GET.get(name, "").strip()
    if not value:
        return default
    allowed = list(allowed)
    if value not in allowed:
        shown = ", ".join(a for a in allowed if a) or "ninguno"
        raise InvalidFilter(f"{label or name.capitalize()} «{value}» no existe. Valores posibles: {shown}.")
    return value


def nivel_filter(request, *, default: str = "", todos: bool = True) -> tuple[str, "FilterField"]:
    """`?nivel=GN|GR|GL` and its filter field ("Todos" first unless `todos` is off)."""
    nivel = choice_param(request, "nivel", NIVELES, default=default, label="Nivel de gobierno")
    return nivel, FilterField("nivel", "Nivel de gobierno", nivel_opciones(todos=todos), nivel)


def bad_request(request, message: str) -> HttpResponse:
    return render(request, BAD_REQUEST_TEMPLATE, {"mensaje": message}, status=400)


def report_view(view: Callable) -> Callable:
    """Turn `InvalidFilter` raised while parsing a report's filters into a 400 page."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except InvalidFilter as exc:
            return bad_request(request, str(exc))

    return wrapper


def report_filename(plan, stem: str, ext: str, issued=None) -> str:
    issued = issued or timezone.localdate()
    code = getattr(plan, "codigo", "")
    # A report of no one plan (the national view) is named by its stem alone.
    return f"{code + '_' if code else ''}{stem}_{issued:%Y-%m-%d}.{ext}"


def format_links(request) -> dict[str, str]:
    """URLs of the PDF and Excel versions of the current page, with the same filters."""
    params = [(k, v) for k, v in request.GET.items() if k != "formato"]
    return {fmt: "?" + urlencode([*params, ("formato", fmt)]) for fmt in ("pdf", "pdfa", "xlsx")}


@functools.lru_cache(maxsize=None)
def _stylesheet(path: str) -> str:
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(f"Hoja de estilo {path} no encontrada en static/.")
    with open(found, encoding="utf-8") as fh:
        return fh.read()


def print_css() -> str:
    """The stylesheets inlined into every PDF (read once per process)."""
    return "\n".join(_stylesheet(p) for p in PDF_STYLESHEETS)


#: The address the PDF's HTML is read from. `.invalid` never resolves (RFC 2606): a
#: root-relative URL in a report (`/static/css/x.css`) becomes https://amc.invalid/static/...,
#: which only the fetcher below answers, from disk.
PDF_BASE_URL = "https://amc.invalid/"


def static_file_path(url: str) -> str | None:
    """The file on disk behind `url` when it names one of the application's own static files
    (`/static/css/reportes.css`, hashed names of collected files included), else None.

    Only the static URL of PDF_BASE_URL is read, from the staticfiles finders (static/ and the
    apps' static folders) or STATIC_ROOT; no other scheme, host or path, and no `..`."""
    from django.conf import settings
    from django.contrib.staticfiles.storage import staticfiles_storage

    prefix = urljoin(PDF_BASE_URL, settings.STATIC_URL)
    if not url.startswith(prefix):
        return None
    name = unquote(urlsplit(url[len(prefix):]).path)
    parts = name.split("/")
    if not name or "\\" in name or "\x00" in name or any(p in ("", ".", "..") for p in parts):
        return None
    found = finders.find(name)
    if not found and settings.STATIC_ROOT and staticfiles_storage.exists(name):
        found = staticfiles_storage.path(name)  # a collected (hashed) name
    return found if found and os.path.isfile(found) else None


def pdf_url_fetcher():
    """WeasyPrint's fetcher for reports: the application's own static files, read from disk;
    anything else (network, file://, data:, other paths) is refused. A refused resource is
    left out of the PDF (WeasyPrint logs it) and the PDF is still made."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = static_file_path(url)
            if path is None:
                raise ValueError(f"Recurso no permitido en un informe (solo archivos estáticos de AMC): {url[:200]}")
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            if content_type.startswith("text/"):
                content_type += "; charset=utf-8"
            with open(path, "rb") as fh:
                return URLFetcherResponse(url, fh.read(), headers={"Content-Type": content_type})

    return StaticFilesOnlyFetcher()


#: The PDF variant WeasyPrint writes for each format: every PDF is tagged (PDF/UA-1: structure
#: tree, headings, tables with their header cells, reading order, language, title shown);
#: `formato=pdfa` is the same document as PDF/A-2a (tagged, fonts and sRGB colour profile
#: embedded, XMP metadata), for filing.
PDF_VARIANTS = {"pdf": "pdf/ua-1", "pdfa": "pdf/a-2a"}


#: Universal pseudo-element rules of WeasyPrint's user-agent stylesheet that a report never
#: uses: each gives every element of the document a pseudo-element style that WeasyPrint
#: computes, six per element (15,762 of the 17,137 styles of the seed document's PDF). Reports
#: have no footnotes or notes (`float: footnote` appears nowhere): those rules are dropped;
#: a list marker is only ever a <li>'s: `::marker` becomes `li::marker`.
UA_SIN_USO = ("::footnote-call {", "::footnote-marker {", "::note-call {", "::note-marker {", "::note-callback {")
UA_MARCADOR = ("::marker {", "li::marker {")


@functools.lru_cache(maxsize=1)
def ua_stylesheet_reports():
    """WeasyPrint's HTML user-agent stylesheet without UA_SIN_USO and with UA_MARCADOR
    (parsed once per process), or None when this WeasyPrint's stylesheet does not hold each
    of those rules on a line of its own as written: WeasyPrint's own is then used
    (`tests/amc/test_pdf_rapido.py` fails, so the list gets looked at again)."""
    from importlib.resources import files

    from weasyprint import CSS, css
    from weasyprint.css.counters import CounterStyle

    lines = (files(css) / "html5_ua.css").read_text("utf-8").split("\n")
    found = {rule for rule in (*UA_SIN_USO, UA_MARCADOR[0]) if sum(line.startswith(rule) for line in lines) == 1}
    if len(found) != len(UA_SIN_USO) + 1:
        return None
    lines = [UA_MARCADOR[1] + line[len(UA_MARCADOR[0]):] if line.startswith(UA_MARCADOR[0]) else line
             for line in lines if not line.startswith(UA_SIN_USO)]
    # Its @counter-style rules are WeasyPrint's own, already registered: parsed into a
    # throwaway registry.
    return CSS(string="\n".join(lines), counter_style=CounterStyle())


#: zlib level of the PDF's streams. pydyf (WeasyPrint's PDF writer) asks for 9, the slowest:
#: on the seed document 0.21 s of CPU for 2.7 MB of page contents, fonts and structure; 6
#: (zlib's default) takes 0.04 s for a file 4 % larger.
PDF_ZLIB_LEVEL = 6
_nivel_zlib: contextvars.ContextVar[int | None] = contextvars.ContextVar("amc_pdf_zlib", default=None)


class _ZlibPdf:
    """zlib as pydyf sees it: `compressobj` at most at the level `zlib_pdf()` sets (pydyf's
    own elsewhere: a PDF WeasyPrint writes outside html_to_pdf), the rest zlib's own."""

    def __getattr__(self, name):
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level=zlib.Z_DEFAULT_COMPRESSION, *args, **kwargs):
        nivel = _nivel_zlib.get()
        return zlib.compressobj(level if nivel is None else min(level, nivel), *args, **kwargs)


@contextlib.contextmanager
def zlib_pdf(nivel: int | None = None):
    """The PDF WeasyPrint writes meanwhile (in this thread) compressed at `nivel` (default
    PDF_ZLIB_LEVEL) instead of pydyf's 9."""
    _report_html_class()  # pydyf's zlib replaced
    token = _nivel_zlib.set(PDF_ZLIB_LEVEL if nivel is None else nivel)
    try:
        yield
    finally:
        _nivel_zlib.reset(token)


@functools.lru_cache(maxsize=1)
def _report_html_class():
    import pydyf
    from weasyprint import HTML

    if getattr(pydyf, "zlib", None) is zlib:  # its level set by zlib_pdf()
        pydyf.zlib = _ZlibPdf()

    class ReportHTML(HTML):
        """WeasyPrint's HTML with the trimmed user-agent stylesheet (WeasyPrint's hook for
        its user-agent stylesheets, `_ua_stylesheets`; forms are never in a report)."""

        def _ua_stylesheets(self, forms=False):
            ua = ua_stylesheet_reports()
            return super()._ua_stylesheets(forms) if ua is None or forms else [ua]

    return ReportHTML


@contextlib.contextmanager
def sin_recolector():
    """Python's cyclic garbage collector paused while WeasyPrint lays out and writes a PDF,
    then one collection of what was made meanwhile. The layout allocates a million
    short-lived objects: the collector's passes over a heap that only grows took a tenth of
    the seed document's CPU time. Nearly all of the layout's garbage is freed by reference
    counting anyway (the peak memory grew 3 MB of 66); the rest, the 125,000 objects of
    the layout's reference cycles, is freed at the end by one collection of the youngest
    generation, where everything allocated while the collector was paused still is (0.09 s;
    a full collection, which also walks every older object of the process, 0.14 s)."""
    if not gc.isenabled():  # another PDF in this process (a thread) already paused it
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)


def weasyprint_html(html: str):
    """WeasyPrint's document for a report's final HTML: the trimmed user-agent stylesheet, only
    the application's static files fetched."""
    return _report_html_class()(string=html, base_url=PDF_BASE_URL, url_fetcher=pdf_url_fetcher())


def html_to_pdf(html: str, *, formato: str = "pdf") -> bytes:
    """Render final HTML to a tagged PDF with WeasyPrint (PDF/A-2a when `formato="pdfa"`); only
    the application's static files are fetched. Title, author, subject and creation date come
    from the HTML's <title> and <meta> (templates/reportes/pdf.html)."""
    with sin_recolector(), zlib_pdf():
        return weasyprint_html(html).write_pdf(pdf_variant=PDF_VARIANTS[formato])


def render_pdf_html(request, context: dict) -> str:
    """The final HTML the PDF is made from (what the benchmark hands to bare WeasyPrint).
    Partials see `pdf` true: a grouped table is then one table per group, the group in its
    repeated header, so a page it continues on still says which group it is."""
    return render_to_string(PDF_TEMPLATE, {**context, "pdf": True}, request=request)


def _file_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Content-Length"] = str(len(content))
    return response


def build_context(request, *, data, template: str, title: str, orientation: str, plan=None,
                  filters: Sequence[FilterField] = (), cover: bool = False, context: dict | None = None) -> dict:
    if orientation not in ORIENTATIONS:
        raise ValueError(f"orientation debe ser una de {ORIENTATIONS}")
    plan = plan if plan is not None else getattr(data, "plan", None)
    report = ReportContext(title=title, plan=plan, filters=list(filters), issued=timezone.localdate(),
                           created=timezone.localtime().replace(microsecond=0))
    ctx = {
        "data": data,
        "plan": plan,
        "report": report,
        "report_template": template,
        "orientation": orientation,
        "cover": cover,
        "print_css": print_css(),
    }
    if context:
        ctx.update(context)
    return ctx


def render_report(request, *, data, template: str, title: str, filename: str, orientation: str = "landscape",
                  xlsx: Callable[[Any, ReportWorkbook], None] | None = None, plan=None,
                  filters: Sequence[FilterField] = (), cover: bool = False, context: dict | None = None,
                  partes_pdf: Callable[[], Iterable[tuple[Any, Sequence[FilterField]]]] | None = None,
                  html_por_version: tuple | None = None) -> HttpResponse:
    """Render a report's data as the page, `?formato=pdf` or `?formato=xlsx`.

    data: the report function's result (has `.plan` unless `plan` is given).
    template: the partial with the table markup, included by the page and by the PDF.
    title: the report's title (page heading, PDF heading, first line of each sheet).
    filename: the file name stem; the plan code and the date of issue are added.
    orientation: "landscape" for wide matrices, "portrait" otherwise (PDF page size A4).
    xlsx: function(data, workbook) writing the sheets; None if the report has no Excel.
    filters: the filters in force (shown on the page as a form, in the files as text).
    cover: the PDF's first page is a cover (no running header on it).
    context: extra template variables for the partial.
    partes_pdf: for a report too large to lay out at once (a national plan's follow-up), the
        PDF's parts: (data, filters) pairs, each laid out alone and the PDFs joined (`unir_pdf`),
        so the memory a PDF needs is that of its largest part, not of the whole.
    html_por_version: the page's partial is rendered once per data version and day under this
        key (`amc.versiones.por_version`) and reused by every user: only for a partial that shows
        nothing of the user or the request (the whole-plan document: 200 KB of HTML at national scale).
    """
    formato = request.GET.get("formato", "html").strip().lower() or "html"
    if formato not in FORMATS:
        return bad_request(
            request,
            f"El formato «{request.GET.get('formato')}» no existe. Use formato=pdf (PDF), formato=pdfa "
            "(PDF/A, para archivo) o formato=xlsx (Excel), o ningún formato para ver la página.",
        )
    if formato == "xlsx" and xlsx is None:
        return bad_request(request, "Este informe no se exporta a Excel; use formato=pdf.")
    if formato != "html" and exportaciones.en_segundo_plano(request, formato):
        # The file is made by the task worker; the user follows it on a progress page.
        plan_ = plan if plan is not None else getattr(data, "plan", None)
        titulo = f"{title} · {plan_.titulo}" if plan_ is not None else title
        return exportaciones.solicitar(request, data=data, titulo=titulo, formato=formato,
                                       huella_extra="|".join([template, title, filename, orientation, repr(context)]))
    ctx = build_context(request, data=data, template=template, title=title, orientation=orientation, plan=plan,
                        filters=filters, cover=cover, context=context)
    report: ReportContext = ctx["report"]
    if formato == "html":
        ctx["links"] = format_links(request)
        ctx["has_xlsx"] = xlsx is not None
        if html_por_version is not None:
            ctx["report_html"] = por_version(("html", template, *html_por_version, report.filters_text),
                                             lambda: mark_safe(render_to_string(template, ctx)))
        return render(request, PAGE_TEMPLATE, ctx)
    if formato in PDF_VARIANTS:
        _avance(request, 40, "Maquetando el PDF")
        stem = filename if formato == "pdf" else f"{filename}_pdfa"
        if partes_pdf is not None:
            pdf = unir_pdf(request, partes_pdf(), formato=formato, template=template, title=title,
                           orientation=orientation, plan=plan, cover=cover, context=context)
        else:
            pdf = html_to_pdf(render_pdf_html(request, ctx), formato=formato)
        return _file_response(pdf, FORMATS[formato], report_filename(report.plan, stem, "pdf", report.issued))
    _avance(request, 40, "Escribiendo el libro de Excel")
    workbook = ReportWorkbook(report)
    xlsx(data, workbook)
    return _file_response(workbook.to_bytes(), FORMATS["xlsx"], report_filename(report.plan, filename, "xlsx", report.issued))


def unir_pdf(request, partes: Iterable[tuple[Any, Sequence[FilterField]]], *, formato: str = "pdf", **kwargs) -> bytes:
    """Lay out each part as its own PDF (the report's template, its own heading and filters,
    "Parte k de n · Página X de Y" counted within the part, since WeasyPrint cannot number
    pages across separate layouts) and join them with pypdf. Only one part's layout is alive
    at a time. The joined file carries the first part's title, author, subject and creation
    date; pypdf does not join the parts' structure trees, so it is not tagged."""
    from pypdf import PdfWriter

    partes = list(partes)
    writer = PdfWriter()
    for k, (data, filters) in enumerate(partes, 1):
        _avance(request, 40 + 50 * (k - 1) // max(len(partes), 1), f"Maquetando el PDF: parte {k} de {len(partes)}")
        ctx = build_context(request, data=data, filters=filters, **kwargs)
        ctx["parte"] = {"numero": k, "de": len(partes)}
        parte = io.BytesIO(html_to_pdf(render_pdf_html(request, ctx), formato=formato))
        if k == 1:
            from pypdf import PdfReader

            writer.add_metadata({k_: v for k_, v in (PdfReader(parte).metadata or {}).items()})
            parte.seek(0)
        writer.append(parte)
        del ctx
        gc.collect()  # a part's layout is garbage now: freed before the next one is made
    salida = io.BytesIO()
    writer.write(salida)
    return salida.getvalue()


def _avance(request, progreso: int, etapa: str) -> None:
    """Tell the export's progress page how far a file being made by the worker has got."""
    callback = getattr(request, "amc_avance", None)
    if callback is not None:
        callback(progreso, etapa)
