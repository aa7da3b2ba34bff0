"""The PDF renderer fetches only the application's own static files, from disk: a report whose
HTML names a resource on the network or on the server's disk renders without it and without an
error; one that links /static/css/reportes.css gets its styles."""
import io
import socket

import pdfplumber
import pytest

from amc import reports
from amc.reports import html_to_pdf

PAGE = """<!DOCTYPE html><html lang="es-PE"><head><meta charset="utf-8">{head}</head><body>
<div class="running-title">TITULO-QUE-LA-HOJA-OCULTA</div>
<table class="report"><tbody><tr class="section"><td>seccion en minusculas</td></tr></tbody></table>
<p>Texto del informe.</p>{body}
</body></html>"""


@pytest.fixture
def no_network(monkeypatch):
    attempts = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError("sin red en las pruebas")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def test_a_stylesheet_from_the_applications_static_files_is_used():
    text = pdf_text(html_to_pdf(PAGE.format(head='<link rel="stylesheet" href="/static/css/reportes.css">', body="")))
    assert "SECCION EN MINUSCULAS" in text  # table.report tr.section td { text-transform:uppercase }
    assert "TITULO-QUE-LA-HOJA-OCULTA" not in text  # .running-title { display:none }


@pytest.mark.parametrize("url", [
    "https://example.com/x.png",
    "http://127.0.0.1:9/x.png",
    "file:///etc/passwd",
    "data:image/png;base64,iVBORw0KGgo=",
    "/media/seguimiento/evidencias/privada.png",
    "/static/../amc/settings.py",
])
def test_an_image_outside_the_static_files_is_left_out_without_an_error(no_network, url):
    text = pdf_text(html_to_pdf(PAGE.format(head="", body=f'<p><img src="{url}" alt=""></p>')))
    assert "Texto del informe." in text
    assert no_network == []


def test_a_stylesheet_on_the_network_or_the_disk_is_not_read(no_network, tmp_path):
    hoja = tmp_path / "oculta.css"
    hoja.write_text(".running-title { display:none; }", encoding="utf-8")
    head = (f'<link rel="stylesheet" href="{hoja.as_uri()}">'
            '<link rel="stylesheet" href="https://example.com/estilos.css">'
            '<style>@import url("file:///etc/passwd");</style>')
    text = pdf_text(html_to_pdf(PAGE.format(head=head, body="")))
    assert "TITULO-QUE-LA-HOJA-OCULTA" in text  # neither stylesheet was applied
    assert "root:" not in text
    assert no_network == []


def test_only_static_names_map_to_files():
    assert reports.static_file_path("https://amc.invalid/static/css/reportes.css").endswith("static/css/reportes.css")
    for url in ("https://amc.invalid/static/", "https://amc.invalid/static/no-existe.css",
                "https://amc.invalid/static/%2e%2e/amc/settings.py", "https://amc.invalid/static//etc/passwd",
                "https://amc.invalid/media/x.png", "https://example.com/static/css/reportes.css",
                "file:///etc/passwd", "http://amc.invalid/static/css/reportes.css"):
        assert reports.static_file_path(url) is None, url


def test_collected_hashed_names_are_read_from_static_root(settings, tmp_path):
    # Production links /static/css/x.<hash>.css (manifest storage): that file is in STATIC_ROOT.
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "css").mkdir()
    hashed = tmp_path / "css" / "reportes.0a1b2c3d4e5f.css"
    hashed.write_text(".running-title { display:none; }", encoding="utf-8")
    assert reports.static_file_path("https://amc.invalid/static/css/reportes.0a1b2c3d4e5f.css") == str(hashed)
    assert reports.static_file_path("https://amc.invalid/static/css/otra.0a1b2c3d4e5f.css") is None
