"""The disaggregations the labour sector reports by: sex, disability, rural/urban area."""
from django.db import migrations

TIPOS = {
    "sexo": ("Sexo", [("mujeres", "Mujeres"), ("hombres", "Hombres")]),
    "discapacidad": ("Discapacidad", [("con-discapacidad", "Con discapacidad"), ("sin-discapacidad", "Sin discapacidad")]),
    "ambito": ("Ámbito", [("urbano", "Urbano"), ("rural", "Rural")]),
}


def crear(apps, schema_editor):
    Tipo = apps.get_model("seguimiento", "TipoDesagregacion")
    Categoria = apps.get_model("seguimiento", "CategoriaDesagregacion")
    for codigo, (nombre, categorias) in TIPOS.items():
        tipo, _ = Tipo.objects.update_or_create(codigo=codigo, defaults={"nombre": nombre})
        for orden, (cod, nom) in enumerate(categorias, start=1):
            Categoria.objects.update_or_create(tipo=tipo, codigo=cod, defaults={"nombre": nom, "orden": orden})


class Migration(migrations.Migration):
    dependencies = [("seguimiento", "0001_seguimiento_inicial")]
    operations = [migrations.RunPython(crear, migrations.RunPython.noop)]
