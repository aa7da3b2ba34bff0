"""The base of every sheet people import: django-import-export resources whose columns are
in Spanish, whose values are read the way people in Peru write them, whose rows are matched
by natural key, and whose validation holds each model's rules without a query per row.

A sheet (`HojaResource` subclass, in `<app>/resources.py`) declares its columns (`Columna`),
the key that identifies a row within the plan (`clave`: columns; `clave_campos`: the model's
unique-constraint attnames they fill), the model fields an import may change
(`actualizables`) and how to load what it refers to (`cargar_referencias`, one query per
table, before the first row).

What the machinery guarantees, sheet by sheet:
- the plan and the entity of every row are the ones the user imports for; a row of another
  plan or entity, or a key that lands on another entity's row, is collected in `ajenas` and
  the importer refuses the whole file, naming those rows;
- two rows with the same key in one file: the later ones are refused, naming the first;
- each row is validated with the model's `full_clean()` (fields and `clean()`); check
  constraints are evaluated in Python (`importacion.constraints`) and uniqueness is the natural-key
  match itself, so validation makes no query per row; writes are `bulk_create` /
  `bulk_update` in batches of `Meta.batch_size`;
- errors are keyed by the column they are about, so the preview and the returned workbook
  point at the cell.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from import_export import resources, widgets
from import_export.fields import Field
from import_export.instance_loaders import BaseInstanceLoader

from amc import access, formatting, numeros
from amc.auditoria import actualizar_en_lote, crear_en_lote
from importacion.constraints import check_constraints

TODA_LA_FILA = NON_FIELD_ERRORS


def normalize(value) -> str:
    """Lower case, no accents, single spaces: how headers and options are compared."""
    text = unicodedata.normalize("NFKD", str(value or "")).encode("ascii", "ignore").decode()
    return " ".join(text.casefold().replace("\u00a0", " ").split())


# --- reading cells ---------------------------------------------------------------------------

TEXT_DATE_RE = re.compile(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}$")


class Ajena(ValueError):
    """The row reaches for another entity's (or another plan's) data: the whole file is refused."""


def parse_decimal(value, *, que: str = "un número") -> Decimal | None:
    """A number as an Excel cell or a person writes it in Peru: the one parser of the project
    (`amc.numeros.parse_decimal`, which the entry pages and the admin use too). A cell it
    refuses raises ValueError with its message."""
    return numeros.parse_decimal(value, que=que)


def parse_int(value) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("Escriba un número entero, no VERDADERO/FALSO.")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    text = str(value).strip()
    if not text:
        return None
    if re.fullmatch(r"-?\d+(\.0+)?", text):
        return int(text.split(".")[0])
    raise ValueError(f"«{text}» no es un número entero.")


def parse_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def parse_date(value) -> date | None:
    """A date cell. A date typed as text is refused: whoever reads the file next may have
    Excel set to month/day, so "03/04/2015" would be read differently on another desk."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if TEXT_DATE_RE.match(text):
        raise ValueError(
            f"La fecha «{text}» está escrita como texto. Escríbala como fecha de Excel "
            "(formato de celda «Fecha», día/mes/año) para que no se lea al revés."
        )
    raise ValueError(f"«{text}» no es una fecha. Escriba una fecha de Excel (día/mes/año).")


class Texto(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return parse_text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class Entero(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return parse_int(value)

    def render(self, value, obj=None, **kwargs):
        return value


class Numero(widgets.Widget):
    def __init__(self, que: str = "un número"):
        super().__init__(coerce_to_string=False)
        self.que = que

    def clean(self, value, row=None, **kwargs):
        return parse_decimal(value, que=self.que)

    def render(self, value, obj=None, **kwargs):
        return value


class Opcion(widgets.Widget):
    """One of a model's choices, written as its label ("No se ha determinado") or its code."""

    def __init__(self, choices):
        super().__init__()
        self.choices = [(str(v), str(label)) for v, label in choices]

    def clean(self, value, row=None, **kwargs):
        text = normalize(parse_text(value))
        if not text:
            return ""
        for v, label in self.choices:
            if text in (normalize(v), normalize(label)):
                return v
        opciones = ", ".join(f"«{label}»" for _, label in self.choices)
        raise ValueError(f"«{parse_text(value)}» no es una opción de esta columna: elija de la lista ({opciones}).")

    def render(self, value, obj=None, **kwargs):
        return dict(self.choices).get(value, value or "")

    @property
    def etiquetas(self) -> list[str]:
        return [label for _, label in self.choices]


class Columna(Field):
    """A column of a sheet: its header, what it fills and how a person is told to write it.

    referencia: shown for context (the indicator's name next to its number, a line's total),
    never imported. lista: the name of the drop-down list of the template. tipo: how the
    list export writes it (text, money, number, integer)."""

    def __init__(self, column_name, attribute=None, *, widget=None, ayuda="", ejemplo="", obligatoria=False,
                 lista=None, referencia=False, tipo="text", ancho=18, lista_estricta=True):
        super().__init__(attribute=attribute, column_name=column_name, widget=widget or Texto(), readonly=referencia)
        self.ayuda, self.ejemplo, self.obligatoria = ayuda, ejemplo, obligatoria
        self.lista, self.referencia, self.tipo, self.ancho = lista, referencia, tipo, ancho
        self.lista_estricta = lista_estricta


def _walk(obj, path: str):
    for part in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, part, None)
    return obj


class ClaveNaturalLoader(BaseInstanceLoader):
    """Existing rows come from the index the resource built before the first row (one query)."""

    def get_instance(self, row):
        return self.resource.instancia_existente()


#: How often (in rows) a sheet reports its progress to a background import.
AVANCE_CADA = 500


class HojaResource(resources.ModelResource):
    """A sheet of one model, imported into one plan for one entity (see the module docstring)."""

    hoja = ""  # the sheet's name in the workbook
    titulo = ""  # what the pages call it
    explicacion = ""  # one paragraph for the instructions sheet
    clave: tuple[str, ...] = ()  # resource fields whose cells identify a row (plan and entity aside)
    clave_campos: tuple[str, ...] = ()  # the model attnames of that key (its unique constraint)
    actualizables: tuple[str, ...] = ()  # model fields an import writes
    fk_resueltas: tuple[str, ...] = ()  # foreign keys set from loaded rows: not re-read one query each
    columnas_de_campos: dict[str, str] = {}  # model field -> column, for errors about fields not in a column

    plan_codigo = Columna("Plan", obligatoria=True, lista="planes", ancho=18,
                          ayuda="Código del plan. Debe ser el plan que eligió al subir el archivo.")
    entidad_codigo = Columna("Entidad", obligatoria=True, lista="entidades", ancho=14,
                             ayuda="Código de su entidad. Un archivo solo trae filas de una entidad: la suya.")
    nivel = Columna("Nivel", lista="niveles", ancho=8,
                    ayuda="Nivel de gobierno de la entidad (GN, GR, GL). Puede dejarse vacío; si se llena, debe coincidir.")

    class Meta:
        use_bulk = True
        batch_size = 500
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        # No deep copy of every row's instance (import-export's diff): `antes` keeps the
        # few values an import may change, which is all the preview and skip_row need.
        skip_diff = True
        store_instance = True
        clean_model_instances = True
        use_transactions = True
        instance_loader_class = ClaveNaturalLoader

    def __init__(self, *, plan=None, entidad=None, usuario=None):
        super().__init__()
        self.plan, self.entidad, self.usuario = plan, entidad, usuario
        self.filas_excel: list[int] = []
        self.problemas_fila: dict[int, dict[str, list[str]]] = {}
        self.ajenas: list[tuple[int, str, str]] = []
        self.claves: dict[int, tuple] = {}
        self.cambios: dict[int, list[tuple[str, str, str]]] = {}
        self.descripciones: dict[int, str] = {}
        self.indice: dict[tuple, object] = {}
        self.antes: dict[int, dict] = {}
        self.fila_actual = 0
        self.avance = None  # called every AVANCE_CADA rows with the row number (background imports)
        self.nombre_de_campo = {f: name for name, f in self.fields.items()}
        self.columna_de_campo = {f.attribute: f.column_name for f in self.fields.values() if f.attribute}
        self.columna_de_campo.update(self.columnas_de_campos)
        self.columna_de_campo.setdefault("plan", "Plan")
        self.columna_de_campo.setdefault("entidad", "Entidad")

    # --- the columns -----------------------------------------------------------------------

    @classmethod
    def columnas(cls) -> list[Columna]:
        return [cls.fields[name] for name in cls._meta.fields]

    @classmethod
    def columnas_importadas(cls) -> list[Columna]:
        return [c for c in cls.columnas() if not c.referencia]

    def _get_ordered_field_names(self, order_field):
        return tuple(self._meta.fields)

    # --- what a sheet provides -----------------------------------------------------------------

    def existentes(self):
        """Every row of the model in the plan (all entities: a key may land on another's row),
        with what its key and its owner need."""
        model = self._meta.model
        return model.objects.filter(**{model.plan_field: self.plan})

    def cargar_referencias(self) -> None:
        """Load, one query per table, what the rows refer to."""

    def filas_de_plantilla(self):
        """The rows the template is pre-filled with: the entity's rows of the plan."""
        return self.existentes().filter(**{self._meta.model.owner_field: self.entidad})

    def listas(self) -> dict[str, list]:
        """Drop-down lists this sheet uses, by name (shared by name across sheets)."""
        return {}

    def notas(self) -> list[str]:
        """Lines added to the instructions sheet for this sheet."""
        return []

    def importar_extra(self, instance, row, errores: dict) -> None:
        """Columns that do not map onto one field (what an indicator measures)."""

    def describir(self, instance) -> str:
        """How the preview names a row."""
        return str(instance)

    # --- plan, entity, level ------------------------------------------------------------------

    def dehydrate_plan_codigo(self, obj):
        model = self._meta.model
        return self.plan.codigo if self.plan else _walk(obj, model.plan_field).codigo

    def dehydrate_entidad_codigo(self, obj):
        if self.entidad:
            return self.entidad.codigo
        return _walk(obj, self._meta.model.owner_field).codigo

    def dehydrate_nivel(self, obj):
        entidad = self.entidad or _walk(obj, self._meta.model.owner_field)
        return entidad.nivel.codigo

    def contexto(self, instance) -> None:
        """Set the plan and the entity the import is for on a row's instance."""
        names = {f.name for f in instance._meta.concrete_fields}
        if "plan" in names:
            instance.plan = self.plan
        if "entidad" in names:
            instance.entidad = self.entidad

    def fila_excel(self, n: int) -> int:
        return self.filas_excel[n - 1] if self.filas_excel else n + 1

    def _problema(self, n: int, columna: str, mensaje: str) -> None:
        self.problemas_fila.setdefault(n, {}).setdefault(columna, []).append(mensaje)

    def _revisar_plan_entidad(self, n: int, row) -> None:
        plan_cell = normalize(parse_text(row.get("Plan")))
        if not plan_cell:
            self._problema(n, "Plan", f"Falta el código del plan: escriba {self.plan.codigo}.")
        elif plan_cell != normalize(self.plan.codigo):
            self.ajenas.append((n, "Plan", f"es del plan «{parse_text(row.get('Plan'))}», no de {self.plan.codigo}"))
        entidad_cell = normalize(parse_text(row.get("Entidad")))
        if not entidad_cell:
            self._problema(n, "Entidad", f"Falta la entidad: escriba {self.entidad.codigo}.")
        elif entidad_cell != normalize(self.entidad.codigo):
            self.ajenas.append((n, "Entidad", f"es de la entidad «{parse_text(row.get('Entidad'))}»"))
        if "Nivel" in row:
            nivel_cell = normalize(parse_text(row.get("Nivel")))
            nivel = self.entidad.nivel
            if nivel_cell and nivel_cell not in (normalize(nivel.codigo), normalize(nivel.nombre)):
                self._problema(n, "Nivel", f"{self.entidad.nombre_corto} es del nivel {nivel.nombre} ({nivel.codigo}), "
                                           f"no «{parse_text(row.get('Nivel'))}».")

    # --- reading a row -------------------------------------------------------------------------

    def leer(self, field: Columna, row):
        """The value of one column of `row`, read by the sheet's `leer_<name>` when it has
        one (references), else by the column's widget."""
        name = self.nombre_de_campo[field]
        value = row.get(field.column_name)
        reader = getattr(self, f"leer_{name}", None)
        cleaned = reader(value, row) if reader else field.widget.clean(value, row=row)
        if field.obligatoria and cleaned in (None, ""):
            raise ValueError(f"Falta «{field.column_name}»: esta columna es obligatoria.")
        return cleaned

    def clave_de(self, obj) -> tuple:
        return tuple(getattr(obj, attname) for attname in self.clave_campos)

    def clave_de_valores(self, valores: dict) -> tuple:
        """The key of a row from the values read from its key columns (by model field)."""
        partes = []
        for attname in self.clave_campos:
            name = attname[:-3] if attname.endswith("_id") else attname
            if name == "plan" and name not in valores:
                value = self.plan
            elif name == "entidad" and name not in valores:
                value = self.entidad
            else:
                value = valores.get(name)
            partes.append(value.pk if hasattr(value, "_meta") else value)
        return tuple(partes)

    def before_import(self, dataset, **kwargs):
        """Load references and existing rows, then look at every row once for what refuses
        the whole file or a row before any is written: another plan or entity, a key that
        lands on another entity's row, a key repeated in the file."""
        self.cargar_referencias()
        self.indice = {self.clave_de(obj): obj for obj in self.existentes()}
        vistos: dict[tuple, int] = {}
        headers = dataset.headers
        for n, values in enumerate(dataset, start=1):
            row = dict(zip(headers, values))
            self._revisar_plan_entidad(n, row)
            leidos = {}
            legible = True
            for name in self.clave:
                field = self.fields[name]
                try:
                    leidos[field.attribute] = self.leer(field, row)
                except Ajena as exc:
                    self.ajenas.append((n, field.column_name, str(exc)))
                    legible = False
                except ValueError:
                    legible = False  # reported with the row
            if not legible:
                continue
            key = self.clave_de_valores(leidos)
            if key in vistos:
                columnas = " y ".join(f"«{self.fields[c].column_name}»" for c in self.clave)
                self._problema(n, self.fields[self.clave[-1]].column_name,
                               f"Repite la clave de la fila {self.fila_excel(vistos[key])} (mismo {columnas}): "
                               "cada fila debe ser distinta; quite una o corrija la clave.")
                continue
            vistos[key] = n
            self.claves[n] = key
            existing = self.indice.get(key)
            if existing is not None and self.entidad and access.owner_entity_id(existing) != self.entidad.pk:
                owner = _walk(existing, self._meta.model.owner_field)
                self.ajenas.append((n, self.fields[self.clave[-1]].column_name,
                                    f"corresponde a un registro de {owner.nombre_corto if owner else 'otra entidad'}"))

    def before_import_row(self, row, **kwargs):
        self.fila_actual = kwargs.get("row_number", self.fila_actual + 1)
        if self.avance is not None and self.fila_actual % AVANCE_CADA == 0:
            self.avance(self.fila_actual)

    @property
    def _ajenas_por_fila(self) -> dict[int, list]:
        if getattr(self, "_ajenas_cache", None) is None or len(self._ajenas_cache[0]) != len(self.ajenas):
            por_fila: dict[int, list] = {}
            for item in self.ajenas:
                por_fila.setdefault(item[0], []).append(item)
            self._ajenas_cache = (list(self.ajenas), por_fila)
        return self._ajenas_cache[1]

    def get_instance(self, instance_loader, row):
        return self.instancia_existente()

    def instancia_existente(self):
        key = self.claves.get(self.fila_actual)
        return None if key is None else self.indice.get(key)

    def import_instance(self, instance, row, **kwargs):
        errores: dict[str, list[str]] = {}
        self.contexto(instance)
        for field in self.get_import_fields():
            if field.readonly:
                continue
            if not field.attribute:
                # A column that only locates the row (a problem number): checked where it is.
                if hasattr(self, f"leer_{self.nombre_de_campo[field]}"):
                    try:
                        self.leer(field, row)
                    except ValueError as exc:
                        errores.setdefault(field.column_name, []).append(str(exc))
                continue
            try:
                setattr(instance, field.attribute, self.leer(field, row))
            except ValueError as exc:
                errores.setdefault(field.column_name, []).append(str(exc))
        self.importar_extra(instance, row, errores)
        for columna, mensajes in self.problemas_fila.get(self.fila_actual, {}).items():
            errores.setdefault(columna, []).extend(mensajes)
        for _, columna, mensaje in (self._ajenas_por_fila.get(self.fila_actual, ()) if self.ajenas else ()):
            errores.setdefault(columna, []).append(f"Esta fila {mensaje}: solo se importan filas de {self.entidad.nombre_corto} "
                                                   f"en el plan {self.plan.codigo}.")
        try:
            self.descripciones[self.fila_actual] = self.describir(instance)
        except (ObjectDoesNotExist, AttributeError, TypeError, ValueError):
            self.descripciones[self.fila_actual] = ""
        if errores:
            raise ValidationError(errores)

    # --- validation -----------------------------------------------------------------------------

    def _merge(self, errores: dict, exc: ValidationError) -> None:
        items = exc.message_dict.items() if hasattr(exc, "error_dict") else [(TODA_LA_FILA, exc.messages)]
        for key, messages in items:
            columna = self.columna_de_campo.get(key, TODA_LA_FILA)
            bucket = errores.setdefault(columna, [])
            for message in messages:
                if message not in bucket:
                    bucket.append(message)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's full_clean() (fields and clean()) minus what needs a query per row:
        foreign keys set from loaded rows exist; uniqueness is the natural-key match (and the
        in-file duplicate check); check constraints are evaluated in Python."""
        errores: dict[str, list[str]] = {}
        for key, errs in (import_validation_errors or {}).items():
            for e in errs:
                errores.setdefault(key, []).extend(e.messages if isinstance(e, ValidationError) else [str(e)])
        fallidos = {f for f, col in self.columna_de_campo.items() if col in errores}
        try:
            instance.full_clean(exclude=fallidos | set(self.fk_resueltas), validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            self._merge(errores, exc)
        except ObjectDoesNotExist:
            pass  # clean() reached for a reference that did not resolve: already reported
        fallidos = {f for f, col in self.columna_de_campo.items() if col in errores}
        try:
            check_constraints(instance, exclude=fallidos)
        except ValidationError as exc:
            self._merge(errores, exc)
        if errores:
            raise ValidationError(errores)

    def cambia(self, instance) -> list[str]:
        """The fields an import writes whose value differs from what the row had."""
        antes = self.antes.get(self.fila_actual)
        if antes is None:
            return list(self.actualizables)
        return [name for name in self.actualizables if antes[name] != getattr(instance, name)]

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Unchanged when no field an import writes differs; the differences are kept for the preview."""
        if import_validation_errors or instance.pk is None:
            return False
        cambios = [(self.columna_de_campo.get(name, name), self.mostrar(instance, name, self.antes[self.fila_actual][name]),
                    self.mostrar(instance, name)) for name in self.cambia(instance)]
        if cambios:
            self.cambios[self.fila_actual] = cambios
            return False
        return True

    _SIN_VALOR = object()

    def mostrar(self, instance, name: str, value=_SIN_VALOR) -> str:
        field = instance._meta.get_field(name)
        if value is self._SIN_VALOR:
            value = getattr(instance, name)
        if value is None or value == "":
            return "—"
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, Decimal):
            return formatting.number(value)
        text = str(value)
        return text if len(text) <= 120 else text[:117] + "…"

    def get_bulk_update_fields(self):
        return list(self.actualizables)

    # --- writes, with their trace --------------------------------------------------------------
    # import-export writes in batches (bulk_create / bulk_update), which bypass the signals the
    # audit trail listens to; each batch's history rows are written with it (one more query
    # per batch, not per row), naming the user and the file.

    @property
    def motivo_historial(self) -> str:
        return f"Importado de Excel ({self.hoja})"

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.create_instances and (using_transactions or not dry_run):
            try:
                crear_en_lote(self.create_instances, self._meta.model, usuario=self.usuario,
                              motivo=self.motivo_historial, batch_size=batch_size)
            except Exception as e:
                self.handle_import_error(result, e, raise_errors)
            finally:
                self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.update_instances and (using_transactions or not dry_run):
            try:
                actualizar_en_lote(self.update_instances, self._meta.model, self.get_bulk_update_fields(),
                                   usuario=self.usuario, motivo=self.motivo_historial, batch_size=batch_size)
            except Exception as e:
                self.handle_import_error(result, e, raise_errors)
            finally:
                self.update_instances.clear()

    def after_init_instance(self, instance, new, row, **kwargs):
        self.contexto(instance)
        if not new:
            self.antes[self.fila_actual] = {name: getattr(instance, name) for name in self.actualizables}
