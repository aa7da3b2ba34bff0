"""What an evidence file (medio de verificación) must be to be accepted: what its extension says,
checked by reading it, not trusted from its name.

- PDF: parses (pypdf), and holds no script or action that runs when it is opened (JavaScript,
  launch actions, embedded files);
- JPEG, PNG: decode to an image whole (Pillow), with nothing else (HTML) after the image;
- XLSX, DOCX: a real Office Open XML package of that kind, without macros (vbaProject) or HTML
  parts; ODT, ODS: a real OpenDocument of that kind, without scripts or macros;
- XLS, DOC: a real OLE2 file (olefile) without macros (VBA storage).

Each check raises `ValueError` with the reason in Spanish; `validar_contenido` turns it into the
message the user reads. Nothing is executed or rendered.
"""
from __future__ import annotations

import io
import re
import zipfile

#: The first bytes each accepted type starts with: a renamed .exe is not a PDF.
FIRMAS = {
    "pdf": (b"%PDF",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "xlsx": (b"PK\x03\x04",), "docx": (b"PK\x03\x04",), "odt": (b"PK\x03\x04",), "ods": (b"PK\x03\x04",),
    "xls": (b"\xd0\xcf\x11\xe0",), "doc": (b"\xd0\xcf\x11\xe0",),
}
_HTML = re.compile(rb"<\s*(html|script|body|iframe|svg|object)\b", re.IGNORECASE)
_PDF_ACTIVO = ("/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/RichMedia", "/XFA")
_OOXML_PRINCIPAL = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
_ODF_TIPO = {"odt": "application/vnd.oasis.opendocument.text", "ods": "application/vnd.oasis.opendocument.spreadsheet"}
_MAX_MIEMBROS = 2000
_MAX_DESCOMPRIMIDO = 200 * 1024 * 1024  # a 10 MB package that expands past this is a zip bomb


def validar_contenido(datos: bytes, ext: str) -> None:
    """Raise ValueError unless `datos` are a clean file of type `ext`."""
    firmas = FIRMAS.get(ext)
    if firmas and not any(datos.startswith(f) for f in firmas):
        raise ValueError("su contenido no corresponde a su extensión")
    verificar = {"pdf": _pdf, "jpg": _imagen, "jpeg": _imagen, "png": _imagen, "docx": _ooxml, "xlsx": _ooxml,
                 "odt": _odf, "ods": _odf, "doc": _ole, "xls": _ole}.get(ext)
    if verificar is not None:
        verificar(datos, ext)


def _pdf(datos: bytes, ext: str) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        lector = PdfReader(io.BytesIO(datos), strict=False)
        paginas = len(lector.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ValueError("no se puede leer como PDF (está dañado o no es un PDF)") from exc
    if paginas == 0:
        raise ValueError("el PDF no tiene páginas")
    # Names of active content appear as PDF name objects, in the raw file or its object streams.
    crudo = datos + b"".join(_objetos_pdf(lector))
    for nombre in _PDF_ACTIVO:
        if re.search(re.escape(nombre.encode()) + rb"(?![A-Za-z])", crudo):
            raise ValueError(f"el PDF contiene contenido activo ({nombre.lstrip('/')}), que podría ejecutarse al abrirlo; "
                             "guárdelo de nuevo como PDF sin scripts ni adjuntos (por ejemplo, «Imprimir como PDF»)")


def _objetos_pdf(lector) -> list[bytes]:
    """The decoded object streams (where a name like /JavaScript can hide compressed)."""
    out = []
    for ref in list(lector.xref_objStm) if hasattr(lector, "xref_objStm") else []:
        try:
            out.append(lector.get_object(ref).get_data())
        except Exception:  # an unreadable stream is judged by the raw bytes alone
            continue
    return out


def _imagen(datos: bytes, ext: str) -> None:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(datos)) as img:
            formato = img.format
            img.load()  # decodes every pixel: a truncated or forged image fails here
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValueError("no se puede leer como imagen (está dañada o no es una imagen)") from exc
    if formato not in ({"JPEG"} if ext in ("jpg", "jpeg") else {"PNG"}):
        raise ValueError(f"es una imagen {formato}, no {ext.upper()}")
    fin = datos.rfind(b"\xff\xd9") + 2 if formato == "JPEG" else datos.rfind(b"IEND") + 8
    if _HTML.search(datos[:4096]) or (fin > 1 and _HTML.search(datos[fin:])):
        raise ValueError("la imagen lleva código HTML o script dentro")


def _zip(datos: bytes) -> zipfile.ZipFile:
    try:
        paquete = zipfile.ZipFile(io.BytesIO(datos))
        miembros = paquete.infolist()
    except zipfile.BadZipFile as exc:
        raise ValueError("está dañado (no se puede abrir)") from exc
    if len(miembros) > _MAX_MIEMBROS or sum(m.file_size for m in miembros) > _MAX_DESCOMPRIMIDO:
        raise ValueError("se expande a un tamaño que no corresponde a un documento")
    return paquete


def _ooxml(datos: bytes, ext: str) -> None:
    paquete = _zip(datos)
    nombres = {n.lower() for n in paquete.namelist()}
    if "[content_types].xml" not in nombres or _OOXML_PRINCIPAL[ext] not in nombres:
        raise ValueError(f"no es un documento {ext.upper()} de Office")
    tipos = paquete.read("[Content_Types].xml").lower()
    if any("vbaproject" in n for n in nombres) or b"macroenabled" in tipos:
        raise ValueError("contiene macros; guárdelo como documento sin macros (.docx o .xlsx)")
    if any(n.endswith((".html", ".htm", ".mht", ".mhtml", ".js")) for n in nombres) or b"text/html" in tipos:
        raise ValueError("contiene partes HTML o scripts incrustados")


def _odf(datos: bytes, ext: str) -> None:
    paquete = _zip(datos)
    nombres = set(paquete.namelist())
    if "mimetype" not in nombres or paquete.read("mimetype").strip() != _ODF_TIPO[ext].encode():
        raise ValueError(f"no es un documento {ext.upper()} de OpenDocument")
    if any(n.startswith(("Basic/", "Scripts/")) for n in nombres):
        raise ValueError("contiene macros o scripts")


def _ole(datos: bytes, ext: str) -> None:
    import olefile

    if not olefile.isOleFile(io.BytesIO(datos)):
        raise ValueError(f"no es un archivo {ext.upper()} de Office")
    with olefile.OleFileIO(io.BytesIO(datos)) as ole:
        flujos = {"/".join(s).lower() for s in ole.listdir(streams=True, storages=True)}
    if any(p.startswith(("macros", "_vba_project")) or "/vba" in p or p == "vba" for p in flujos):
        raise ValueError("contiene macros; guárdelo como documento sin macros (.docx o .xlsx)")
