"""amc/numeros.py: one way to read a number. The entry page, the admin and the Excel import
read amounts with the same parser: 1234.50, 1,234.50, S/ 1,234.50 and S/. 1,234.50 are the same
amount; 1.234,50 is refused everywhere with the same reason."""
from decimal import Decimal

import pytest
from django.urls import reverse

from amc.numeros import NumeroField, NumeroInvalido, coma_decimal, parse_decimal
from importacion.resources import Numero
from presupuesto.models import LineaPresupuesto
from tests import factories as f

D = Decimal
ACEPTADOS = ["1234.50", "1,234.50", "S/ 1,234.50", "S/. 1,234.50", "S/1234.5", "s/. 1,234.50", " 1 234.50 ", 1234.5]


@pytest.mark.parametrize("texto", ACEPTADOS)
def test_the_ways_peru_writes_an_amount_read_the_same(texto):
    assert parse_decimal(texto) == D("1234.50")
    assert NumeroField(label="PIM").clean(texto) == D("1234.50")
    assert Numero().clean(texto) == D("1234.50")


@pytest.mark.parametrize("texto", ["1.234,50", "12,5", "S/ 1.234,50"])
def test_a_decimal_comma_is_refused_saying_why_in_the_parser_the_form_and_the_import(texto):
    with pytest.raises(NumeroInvalido) as exc:
        parse_decimal(texto)
    assert exc.value.codigo == "coma_decimal"
    assert str(exc.value) == coma_decimal(texto)
    assert "usa coma decimal" in str(exc.value) and "S/ 1,234.50" in str(exc.value)
    with pytest.raises(Exception) as exc_form:
        NumeroField(label="PIM de febrero (S/)").clean(texto)
    assert exc_form.value.messages == [f"«PIM de febrero (S/)»: {coma_decimal(texto)}"]
    with pytest.raises(ValueError) as exc_import:
        Numero().clean(texto)
    assert str(exc_import.value) == coma_decimal(texto)


def test_form_messages_name_the_field():
    campo = NumeroField(label="Valor", min_value=D("0"), required=False)
    casos = {
        "doce": "«Valor» debe ser un número: escriba, por ejemplo, 1234.50, 1,234.50 o S/ 1,234.50.",
        "-3": "«Valor» no puede ser negativo.",
        "1.25555": "«Valor» admite hasta 2 decimales.",
        "1.234": "«Valor»: «1.234» se lee como 1.234 (en Perú el punto es decimal). Si quiso decir 1234, escriba 1,234 o 1234.",
    }
    for texto, mensaje in casos.items():
        with pytest.raises(Exception) as exc:
            campo.clean(texto)
        assert exc.value.messages == [mensaje], texto
    assert campo.clean("") is None
    html = campo.widget.render("v", D("3.50"))
    assert 'type="text"' in html and 'inputmode="decimal"' in html and "step" not in html


@pytest.mark.django_db
def test_the_admin_reads_amounts_with_the_same_parser(client, seed_plan, drtpe_puno, usuario_puno):
    linea = f.make_linea(seed_plan, drtpe_puno, 901, costo="100.00", cantidad="2", descripcion="Línea de prueba de números")
    url = reverse("admin:presupuesto_lineapresupuesto_change", args=[linea.pk])
    datos = {"plan": seed_plan.pk, "entidad": drtpe_puno.pk, "orden": 901, "actividad": "", "descripcion": linea.descripcion,
             "estado": "determinado", "unidad_medida": "", "cantidad": "2", "especifica_gasto": "",
             "sublineas-TOTAL_FORMS": "0", "sublineas-INITIAL_FORMS": "0"}
    client.force_login(usuario_puno)
    page = client.get(url).content.decode()
    assert 'name="costo_unitario"' in page and 'inputmode="decimal"' in page
    response = client.post(url, {**datos, "costo_unitario": "1.234,50"})
    assert response.status_code == 200
    assert "«Costo unitario (S/)»: «1.234,50» usa coma decimal" in response.content.decode()
    assert LineaPresupuesto.objects.get(pk=linea.pk).costo_unitario == D("100.00")
    response = client.post(url, {**datos, "costo_unitario": "S/. 1,234.50"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert LineaPresupuesto.objects.get(pk=linea.pk).costo_unitario == D("1234.50")
