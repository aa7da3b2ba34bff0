"""Workbooks built in memory, as a person would fill them, and a shortcut to import them."""
from __future__ import annotations

import io

import openpyxl

from importacion.services import hoja_por_clave, importar_libro


def libro(hojas: dict[str, list[list]]) -> bytes:
    """An .xlsx with one sheet per entry: the first row is the header."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for nombre, filas in hojas.items():
        ws = wb.create_sheet(nombre)
        for fila in filas:
            ws.append(fila)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def importar(usuario, plan, data: bytes, *, aplicar=False, hojas=None, entidad=None, nombre="datos.xlsx", huella=None):
    clases = [hoja_por_clave(h) for h in hojas] if hojas else None
    return importar_libro(data=data, nombre=nombre, plan=plan, entidad=entidad or usuario.entidad, usuario=usuario,
                          clases=clases, aplicar=aplicar, huella=huella)


def estados(resultado) -> list[tuple[int, str]]:
    return [(f.fila, f.estado) for f in resultado.filas]


CAUSAS = ["Plan", "Entidad", "Problema", "Letra", "Texto"]
