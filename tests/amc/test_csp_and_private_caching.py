"""Every page carries a strict Content-Security-Policy (this site's files only, no inline script
or style), and the pages and templates hold nothing it would block; every response to a
logged-in user says `Cache-Control: private, no-store` (pages and files), static files do not;
HSTS asks for preload only when the deployment opts in."""
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests import factories as f
from tests.cronograma import factories as cf
from tests.seguimiento import factories as sf

ROOT = Path(__file__).resolve().parents[2]
PDF_ONLY = {"reportes/pdf.html"}  # rendered by WeasyPrint, never served to a browser

INLINE = {
    "an inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "a <style> element": re.compile(r"<style[\s>]", re.I),
    "a style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I),
    "an event handler attribute": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "a javascript: URL": re.compile(r"""=\s*["']?\s*javascript:""", re.I),
}


def inline_found(html: str) -> list[str]:
    return [what for what, pattern in INLINE.items() if pattern.search(html)]


def test_no_template_holds_inline_script_style_or_handlers():
    offenders = {}
    for path in sorted((ROOT / "templates").rglob("*.html")):
        name = path.relative_to(ROOT / "templates").as_posix()
        if name not in PDF_ONLY and (found := inline_found(path.read_text(encoding="utf-8"))):
            offenders[name] = found
    assert offenders == {}


@pytest.mark.django_db
def test_every_page_carries_a_strict_content_security_policy(client, usuario_mtpe):
    for response in (client.get("/ingresar/"), client.get("/ingresar/?q=%00")):
        policy = response["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    client.force_login(usuario_mtpe)
    assert "default-src 'self'" in client.get("/").get("Content-Security-Policy", "")
    assert "default-src 'self'" in client.get(reverse("admin:index")).get("Content-Security-Policy", "")


@pytest.fixture
def pages(db, drtpe_puno, seed_plan):
    """A follow-up plan with values (dashboard charts), a schedule with progress and the cut-off
    line (Gantt), and the seed plan (the matrices and the whole document)."""
    esc = sf.escenario()
    plan, rector, puno = cf.make_plan_cronograma(regional=drtpe_puno)
    act = cf.make_actividad(plan, puno, 1, "Talleres de empleabilidad", producto=cf.make_producto(plan))
    cf.make_cronograma(act, (2015, 3), (2015, 6), "4", meses={(2015, m): 1 for m in (3, 4, 5, 6)})
    cf.reportar(act, cf.make_periodo(plan, numero=2), 50)
    f.make_linea(seed_plan, drtpe_puno, 990, costo="10.00", cantidad="2", descripcion="Línea para totales")
    s = seed_plan.pk
    gantt = reverse("reporte_cronograma", args=[plan.pk]) + "?hoy=2015-06-14"
    urls = [
        "/", reverse("plan_detail", args=[s]),
        *(reverse(name, args=[s]) for name in (
            "reporte_analisis_causal", "reporte_alternativas", "reporte_alineamiento", "reporte_roles",
            "reporte_indicadores", "reporte_matriz_logica", "reporte_presupuesto", "reporte_documento")),
        reverse("reporte_matriz_logica", args=[s]) + "?nivel=GR",
        gantt,
        reverse("seguimiento:reporte", args=[esc.plan.pk]), reverse("seguimiento:tablero", args=[esc.plan.pk]),
        reverse("seguimiento:periodos", args=[esc.plan.pk]), reverse("seguimiento:revision", args=[esc.plan.pk]),
        *(f"/listas/{clave}/" for clave in ("actividades", "indicadores", "causas", "presupuesto", "valores")),
        "/importar/", f"/importar/?plan={s}",
        reverse("admin:index"), reverse("admin:presupuesto_lineapresupuesto_changelist"),
        reverse("admin:planes_plan_change", args=[s]), reverse("admin:matrices_causa_add"),
        reverse("admin:planes_organo_add"),
    ]
    return {"urls": urls, "gantt": gantt}


@pytest.mark.django_db
def test_the_pages_hold_nothing_the_policy_blocks(client, usuario_admin, pages):
    client.force_login(usuario_admin)
    offenders = {}
    for url in pages["urls"]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        if found := inline_found(body):
            offenders[url] = found
    assert offenders == {}
    gantt = client.get(pages["gantt"]).content.decode()
    assert re.search(r'<td class="m[^"]* hoy-\d+', gantt)  # the cut-off line, as a class
    assert re.search(r'<i class="r w-\d+">', gantt)  # the progress bar's width, as a class


# --------------------------------------------------------------------------- Cache-Control


def private_no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


@pytest.mark.django_db
def test_every_response_to_a_logged_in_user_is_private_and_not_stored(client, usuario_mtpe, seed_plan):
    client.force_login(usuario_mtpe)
    matriz = reverse("reporte_matriz_logica", args=[seed_plan.pk])
    for url in ("/", reverse("plan_detail", args=[seed_plan.pk]), matriz, matriz + "?formato=pdf",
                matriz + "?formato=xlsx", "/listas/actividades/?formato=csv", "/listas/actividades/?formato=xlsx",
                reverse("admin:index"), "/no-existe/", matriz + "?nivel=XX"):
        response = client.get(url)
        assert private_no_store(response), (url, response.status_code, response.get("Cache-Control"))


@pytest.mark.django_db
def test_evidence_files_are_private_and_not_stored(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    esc = sf.escenario()
    from seguimiento import services
    from seguimiento.models import ValorIndicador
    from seguimiento.services import ValorInput

    valores = {i.pk: ValorInput(valor=Decimal("12"), evidencia_url="https://example.org/acta.pdf") for i in esc.indicadores}
    valores[esc.indicadores[0].pk] = ValorInput(valor=Decimal("12"), evidencia=sf.pdf("acta.pdf"))
    services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], valores=valores, enviar=True)
    valor = ValorIndicador.objects.get(indicador=esc.indicadores[0])
    client.force_login(esc.users["mtpe"])
    assert private_no_store(client.get(reverse("seguimiento:evidencia", args=["valor", valor.pk])))


@pytest.mark.django_db
def test_static_files_stay_cacheable(client, usuario_mtpe):
    client.force_login(usuario_mtpe)
    response = client.get("/static/css/amc.css")
    assert response.status_code == 200
    assert not private_no_store(response)


# --------------------------------------------------------------------------- HSTS preload


@pytest.mark.django_db
def test_hsts_does_not_ask_for_preload_unless_the_deployment_opts_in():
    header = Client().get("/ingresar/", secure=True)["Strict-Transport-Security"]
    assert header == "max-age=31536000; includeSubDomains"
    with override_settings(SECURE_HSTS_PRELOAD=True):
        header = Client().get("/ingresar/", secure=True)["Strict-Transport-Security"]
    assert header == "max-age=31536000; includeSubDomains; preload"
