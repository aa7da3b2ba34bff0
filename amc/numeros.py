"""Reading a number as people in Peru write it: the one parser of amounts and quantities.

The entry pages (`seguimiento/forms.py`), the admin (every decimal field of a `ScopedAdmin`
form or inline, through `NumeroField`) and the Excel import (`importacion.resources.Numero`)
read numbers here, so `S/ 1,234.50` means the same everywhere and is refused for the same
reason everywhere.

Accepted: numbers; "1234.50", "1,234.50", "8 000.00" (the seed's spacing), with or without
"S/" or "S/." in front (the 2015 documents write "S/."). Refused with a message: "1.234,50" and
"12,5", the decimal comma of other Spanish-speaking countries. In es-PE the point is the
decimal mark, so reading them either way could silently turn S/ 1,234.50 into S/ 1.23; the
person who wrote it is asked to say which.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

MONEDA_RE = re.compile(r"^s/\.?\s*", re.IGNORECASE)
PLAIN_RE = re.compile(r"^-?\d+(\.\d+)?$")
THOUSANDS_RE = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
DECIMAL_COMMA_RE = re.compile(r"^-?(\d{1,3}(\.\d{3})+(,\d+)?|\d+,\d{1,2})$")
#: "1.234": a number with a decimal point, or a thousand written with a point elsewhere.
PUNTO_DE_MILES_RE = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
DOS = Decimal("0.01")
EJEMPLO = "1234.50, 1,234.50 o S/ 1,234.50"


class NumeroInvalido(ValueError):
    """A text that is not a number as Peru writes it; `codigo` says why ("invalido",
    "coma_decimal", "formula", "fecha", "logico")."""

    def __init__(self, mensaje: str, codigo: str = "invalido"):
        super().__init__(mensaje)
        self.codigo = codigo


def coma_decimal(texto: str) -> str:
    """Why "1.234,50" is refused (the message of the import, the pages and the admin)."""
    return (f"«{texto}» usa coma decimal. En Perú se escribe con punto decimal y coma de miles: "
            "S/ 1,234.50. Escriba el monto así o como número (1234.50); no adivinamos cuál quiso decir.")


def parse_decimal(value, *, que: str = "un número") -> Decimal | None:
    """A number as an Excel cell or a person writes it in Peru (see the module docstring);
    None for an empty cell or text. Raises NumeroInvalido with the message to show."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise NumeroInvalido(f"Escriba {que}, no VERDADERO/FALSO.", "logico")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        exact = Decimal(repr(value))
        rounded = exact.quantize(DOS)
        # 0.1 + 0.2 in a spreadsheet is 0.30000000000000004: noise, not a third decimal.
        return rounded if abs(exact - rounded) < Decimal("0.000001") else exact
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (datetime, date)):
        raise NumeroInvalido(f"La celda tiene formato de fecha ({value:%d/%m/%Y}); escriba {que} y dele formato de número.",
                             "fecha")
    text = str(value).strip().replace("\u00a0", " ")
    if not text or text in ("-", "–", "—"):
        return None
    if text.startswith("#"):
        raise NumeroInvalido(f"La celda muestra un error de fórmula ({text}): corrija la fórmula o escriba {que}.", "formula")
    compact = MONEDA_RE.sub("", text).replace(" ", "").replace("\u202f", "")
    try:
        if PLAIN_RE.match(compact):
            return Decimal(compact)
        if THOUSANDS_RE.match(compact):
            return Decimal(compact.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the patterns only let digits through
        pass
    if DECIMAL_COMMA_RE.match(compact):
        raise NumeroInvalido(coma_decimal(text), "coma_decimal")
    raise NumeroInvalido(f"«{text}» no es {que}. Escriba, por ejemplo, 1234.50 o S/ 1,234.50.")


class NumeroField(forms.DecimalField):
    """A decimal form field that reads what people type with `parse_decimal` (a text box, no
    browser spinner that would refuse "1,234.50"), with Spanish messages naming the field."""

    widget = forms.TextInput

    def __init__(self, *, que: str = "un número", unidad: str = "", **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)
        self.que = que
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("autocomplete", "off")
        label = str(self.label or "El número")
        # Validators' messages go through %-formatting: a "%" of the label or the unit is doubled.
        label_msg, unidad_msg = label.replace("%", "%%"), unidad.replace("%", "%%")
        mensajes = {
            "required": f"Indique «{label_msg}».",
            "max_digits": f"«{label_msg}» tiene demasiadas cifras.",
            "max_whole_digits": f"«{label_msg}» tiene demasiadas cifras.",
            "max_decimal_places": f"«{label_msg}» admite hasta {self.decimal_places} decimales.",
        }
        # Limits of the field itself; a model's own validators (in the admin) keep their messages.
        if self.min_value is not None:
            mensajes["min_value"] = (f"«{label_msg}» no puede ser negativo." if self.min_value == 0
                                     else f"«{label_msg}» no puede ser menor que %(limit_value)s{unidad_msg}.")
        if self.max_value is not None:
            mensajes["max_value"] = f"«{label_msg}» no puede pasar de %(limit_value)s{unidad_msg}."
        mensajes.update(kwargs.get("error_messages") or {})
        self.error_messages.update(mensajes)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_decimal(value, que=self.que)
        except NumeroInvalido as exc:
            label = self.label or "El número"
            if exc.codigo == "invalido":
                mensaje = f"«{label}» debe ser un número: escriba, por ejemplo, {EJEMPLO}."
            else:
                mensaje = f"«{label}»: {exc}"
            raise ValidationError(mensaje, code=exc.codigo) from None

    def clean(self, value):
        try:
            return super().clean(value)
        except ValidationError as exc:
            texto = str(value or "").strip()
            codigos = {getattr(e, "code", None) for e in exc.error_list}
            if "max_decimal_places" in codigos and PUNTO_DE_MILES_RE.match(texto):
                # "1.234" is 1.234 in Peru; who meant a thousand is told how to write it.
                raise ValidationError(
                    f"«{self.label}»: «{texto}» se lee como {texto} (en Perú el punto es decimal). Si quiso decir "
                    f"{texto.replace('.', '')}, escriba {texto.replace('.', ',')} o {texto.replace('.', '')}.",
                    code="punto_de_miles") from None
            raise
