"""Evidence files are checked by reading them (seguimiento/evidencia.py), not trusted from their
extension; a file replaced by a new upload is deleted; two saves of an entry at once leave one,
and the other says so (no 500)."""
from __future__ import annotations

import io
import zipfile
from decimal import Decimal as D

import pytest
from django.core.files.storage import default_storage
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import NameObject, TextStringObject, DictionaryObject

from seguimiento import registros, rules, services
from seguimiento.models import ValorIndicador
from seguimiento.services import EntregaInvalida, ValorInput
from tests.seguimiento import factories as sf
from tests.seguimiento.conftest import estado_bd

pytestmark = pytest.mark.django_db


def _pdf_con_script() -> bytes:
    w = PdfWriter()
    w.add_blank_page(width=200, height=200)
    w._root_object[NameObject("/OpenAction")] = DictionaryObject({
        NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('hola')")})
    buffer = io.BytesIO()
    w.write(buffer)
    return buffer.getvalue()


def _jpeg(extra: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "JPEG")
    return buffer.getvalue() + extra


def _zip(archivos: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for nombre, datos in archivos.items():
            z.writestr(nombre, datos)
    return buffer.getvalue()


DOCX_TIPOS = b'<Types><Default Extension="xml" ContentType="application/xml"/></Types>'
XLSM_TIPOS = b'<Types><Override ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>'


@pytest.mark.parametrize("nombre, datos, motivo", [
    ("acta.pdf", _pdf_con_script(), "contenido activo"),
    ("acta.pdf", b"%PDF-1.4\n esto no es un PDF", "no se puede leer como PDF"),
    ("foto.jpg", _jpeg(b"<html><script>alert(1)</script></html>"), "HTML o script"),
    ("foto.jpg", b"\xff\xd8\xff\xe0" + b"<html><body>hola</body></html>", "no se puede leer como imagen"),
    ("informe.docx", _zip({"[Content_Types].xml": DOCX_TIPOS, "word/document.xml": b"<w/>",
                           "word/afchunk.html": b"<html><script>x</script></html>"}), "partes HTML"),
    ("cuadro.xlsx", _zip({"[Content_Types].xml": XLSM_TIPOS, "xl/workbook.xml": b"<w/>", "xl/vbaProject.bin": b"\0"}),
     "contiene macros"),
    ("cuadro.xlsx", _zip({"hola.txt": b"hola"}), "no es un documento XLSX de Office"),
])
def test_a_forged_or_active_evidence_file_is_refused_and_nothing_is_saved(esc, nombre, datos, motivo):
    ind = esc.indicadores[0]
    antes = estado_bd()
    with pytest.raises(EntregaInvalida) as exc:
        services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"],
                              valores={ind.pk: ValorInput(valor=D("3"), evidencia=sf.pdf(nombre, datos))})
    mensaje = " ".join(exc.value.errores[f"i{ind.pk}"]["evidencia"])
    assert f"«{nombre}» no es un {nombre.rsplit('.', 1)[1].upper()} válido" in mensaje and motivo in mensaje
    assert estado_bd() == antes


@pytest.mark.parametrize("nombre, datos", [
    ("acta.pdf", sf.PDF_BYTES),
    ("foto.jpg", _jpeg()),
    ("informe.docx", _zip({"[Content_Types].xml": DOCX_TIPOS, "word/document.xml": b"<w/>"})),
])
def test_a_clean_file_of_each_kind_is_accepted(esc, nombre, datos):
    ind = esc.indicadores[0]
    services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"],
                          valores={ind.pk: ValorInput(valor=D("3"), evidencia=sf.pdf(nombre, datos))})
    assert ValorIndicador.objects.get(indicador=ind).evidencia.name.endswith(nombre)


def test_a_file_replaced_by_a_new_upload_is_deleted(esc, django_capture_on_commit_callbacks):
    ind = esc.indicadores[0]
    with django_capture_on_commit_callbacks(execute=True):
        services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"],
                              valores={ind.pk: ValorInput(valor=D("3"), evidencia=sf.pdf("primera.pdf"))})
    primera = ValorIndicador.objects.get(indicador=ind).evidencia.name
    assert default_storage.exists(primera)
    with django_capture_on_commit_callbacks(execute=True):
        services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"],
                              valores={ind.pk: ValorInput(valor=D("3"), evidencia=sf.pdf("segunda.pdf", sf.PDF_BYTES + b"\n"))})
    segunda = ValorIndicador.objects.get(indicador=ind).evidencia.name
    assert segunda.endswith("segunda.pdf") and default_storage.exists(segunda)
    assert not default_storage.exists(primera)


def test_two_first_saves_at_once_keep_one_and_the_other_says_so(client, esc, monkeypatch):
    """The second save found no record, as the first did, and created it too: the database's
    unique key refuses it; the user reads why, and nothing of that save is kept."""
    ind = esc.indicadores[0]
    original = registros.Cambio.save

    def la_otra_pestana_guardo_primero(self):
        if isinstance(self.registro, ValorIndicador) and self.registro.pk is None:
            ValorIndicador.objects.bulk_create([ValorIndicador(indicador=ind, entidad=esc.puno, periodo=esc.periodo, valor=D("1"))])
        return original(self)

    monkeypatch.setattr(registros.Cambio, "save", la_otra_pestana_guardo_primero)
    antes = estado_bd()
    client.force_login(esc.users["puno"])
    r = client.post(f"/planes/{esc.plan.pk}/reportar/{esc.periodo.pk}/", {
        "accion": "borrador", f"i{ind.pk}-condicion": "valor", f"i{ind.pk}-valor": "5"})
    assert r.status_code == 200
    assert rules.GUARDADO_A_LA_VEZ in r.content.decode()
    assert estado_bd() == antes
