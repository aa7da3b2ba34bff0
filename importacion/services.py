"""Importing Excel workbooks into a plan: upload -> validate -> preview -> apply.

    subida = subida_save(usuario=..., data=..., nombre=..., plan=..., entidad=..., hojas=...)
    resultado = importar(subida=subida, usuario=..., aplicar=False)   # the preview
    resultado = importar(subida=subida, usuario=..., aplicar=True, huella=resultado.huella)

- The uploaded file is kept on the server (MEDIA_ROOT/importaciones/<user id>/<token>) between
  the preview and the apply, under a random token that only its owner can use, for a day.
  Why not ask for the file again: what is applied is then byte for byte what was previewed
  (its SHA-256 is checked), the refused file can be handed back with its errors marked, and
  nobody picks the wrong version from the Downloads folder the second time.
- Preview and apply run the same code, in one transaction: every sheet of the workbook, in
  the order the apps registered them in (importacion.registro: causes before the alternatives that cite them), really written, then
  rolled back for a preview. So a preview shows exactly what applying would do, and applying
  is all or nothing. Applying re-validates (the database may have changed since) and refuses
  if the outcome differs from the preview the user saw (`huella`).
- Nothing is written if any row is refused, or the file is refused whole: rows of another
  entity or plan, a missing or renamed column, merged cells, a broken file.
- Each problem is a message in Spanish that names the sheet, the row and the column, and the
  refused workbook comes back with those cells filled red and a comment on each.
- A large file (more rows than AMC_IMPORTACION_FILAS_DIRECTAS, default 2,000: a couple of
  seconds of work) is previewed and applied by the task worker (`importar_en_segundo_plano`,
  the engine of the exports: django-tasks), while its page shows the progress; a small one
  answers in the request as before. Same code either way: `importar()`.
"""
from __future__ import annotations

import difflib
import hashlib
import io
import json
import logging
import secrets
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import tablib
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django_tasks import task

from amc import access
from amc.excel import set_text
from amc.vocabulario import NIVELES
from importacion.excel_safety import MAX_ROWS, ArchivoInvalido, merged_ranges, open_workbook
from importacion.registro import hojas
from importacion.resources import TODA_LA_FILA, HojaResource, normalize
from planes.estructura import EstructuraBloqueada, estructura_check

logger = logging.getLogger(__name__)

VIGENCIA_SEGUNDOS = 24 * 3600
TOKEN_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

ESTADOS = {
    "nueva": "Nueva",
    "actualiza": "Se actualiza",
    "sin_cambios": "Sin cambios",
    "rechazada": "Rechazada",
    "vacia": "Vacía: se omite",
}
_IMPORT_TYPES = {"new": "nueva", "update": "actualiza", "skip": "sin_cambios", "invalid": "rechazada", "error": "rechazada"}


def hoja_por_clave(clave: str) -> type[HojaResource]:
    """A sheet class by its key (the model's name in lower case, as URLs carry it)."""
    for cls in hojas():
        if cls._meta.model._meta.model_name == clave:
            return cls
    raise Http404("No existe esa hoja de importación.")


def clave_de_hoja(cls) -> str:
    return cls._meta.model._meta.model_name


# --- results ------------------------------------------------------------------------------------

@dataclass
class ErrorArchivo:
    """A problem of the file as a whole (or of a sheet's header): nothing can be imported."""

    mensaje: str
    hoja: str | None = None
    celdas: list[str] = field(default_factory=list)


@dataclass
class Fila:
    hoja: str  # the sheet's name in the file
    fila: int  # the Excel row number
    estado: str  # a key of ESTADOS
    descripcion: str = ""
    errores: dict[str, list[str]] = field(default_factory=dict)  # column -> messages ("__all__": the row)
    cambios: list[list[str]] = field(default_factory=list)  # [column, before, after]

    @property
    def estado_display(self) -> str:
        return ESTADOS[self.estado]

    @property
    def mensajes(self) -> list[str]:
        return [m if col == TODA_LA_FILA else f"{col}: {m}" for col, ms in self.errores.items() for m in ms]


@dataclass
class Resultado:
    errores: list[ErrorArchivo] = field(default_factory=list)
    avisos: list[str] = field(default_factory=list)
    filas: list[Fila] = field(default_factory=list)
    hojas: list[list[str]] = field(default_factory=list)  # [title, sheet name in the file]
    columnas: dict[str, dict[str, str]] = field(default_factory=dict)  # sheet -> column -> letter
    aplicado: bool = False

    def contar(self, estado: str) -> int:
        return sum(1 for f in self.filas if f.estado == estado)

    @property
    def contadores(self) -> dict[str, int]:
        return {estado: self.contar(estado) for estado in ESTADOS}

    @property
    def rechazadas(self) -> list[Fila]:
        return [f for f in self.filas if f.estado == "rechazada"]

    @property
    def aplicable(self) -> bool:
        """Applying writes something and nothing is refused."""
        return (not self.errores and not self.rechazadas and bool(self.hojas)
                and any(f.estado in ("nueva", "actualiza") for f in self.filas))

    @property
    def huella(self) -> str:
        """A fingerprint of what applying would do, row by row."""
        text = json.dumps([[f.hoja, f.fila, f.estado, f.cambios] for f in self.filas], ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()[:20]

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Resultado:
        return cls(
            errores=[ErrorArchivo(**e) for e in data.get("errores", [])], avisos=data.get("avisos", []),
            filas=[Fila(**f) for f in data.get("filas", [])], hojas=data.get("hojas", []),
            columnas=data.get("columnas", {}), aplicado=data.get("aplicado", False),
        )


# --- who may import -----------------------------------------------------------------------------

def check_can_import(usuario, plan, entidad) -> None:
    """Only an entity's own staff (or an administrator) import its rows, into a plan the
    entity takes part in; planners read and export."""
    if access.is_read_only(usuario):
        raise PermissionDenied("No tiene permiso: los planificadores consultan y exportan; no importan datos.")
    if not access.is_admin(usuario):
        if not getattr(usuario, "entidad_id", None):
            raise PermissionDenied("No tiene permiso: su usuario no pertenece a ninguna entidad.")
        if entidad.pk != usuario.entidad_id:
            raise PermissionDenied(f"No tiene permiso: las filas de {entidad.nombre_corto} solo las importa el personal de "
                                   f"{entidad.nombre_corto}.")
    if not plan.participaciones.filter(entidad=entidad).exists():
        raise PermissionDenied(f"{entidad.nombre_corto} no participa en el plan {plan.codigo}: no puede importar filas en él.")


# --- reading the workbook -----------------------------------------------------------------------

@dataclass
class HojaLeida:
    clase: type[HojaResource]
    nombre: str  # as in the file
    dataset: tablib.Dataset
    filas_excel: list[int]
    columnas: dict[str, str]  # canonical column -> letter in the file


def _letra(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)


def _leer_hoja(ws, cls, resultado: Resultado) -> HojaLeida | None:
    nombre = ws.title
    rangos = merged_ranges(ws)
    if rangos:
        resultado.errores.append(ErrorArchivo(
            f"La hoja «{nombre}» tiene celdas combinadas ({', '.join(rangos[:5])}{'…' if len(rangos) > 5 else ''}). "
            "Cada dato va en su propia celda: selecciónelas y use «Combinar y centrar» > «Separar celdas», "
            "repita el valor en cada fila que corresponda y vuelva a subir el archivo.", nombre, rangos))
        return None
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None) or ()
    esperadas = {normalize(c.column_name): c.column_name for c in cls.columnas()}
    presentes: dict[str, int] = {}
    desconocidas: dict[str, int] = {}
    for j, value in enumerate(header, start=1):
        if value is None or str(value).strip() == "":
            continue
        key = normalize(value)
        if key in esperadas and esperadas[key] not in presentes:
            presentes[esperadas[key]] = j
        else:
            desconocidas[str(value).strip()] = j
    faltan = [c.column_name for c in cls.columnas_importadas() if c.column_name not in presentes]
    if faltan:
        partes = []
        for col in faltan:
            parecida = difflib.get_close_matches(normalize(col), [normalize(d) for d in desconocidas], n=1, cutoff=0.6)
            if parecida:
                original = next(d for d in desconocidas if normalize(d) == parecida[0])
                partes.append(f"«{col}» (¿es la columna «{original}»? Devuélvale su nombre)")
            else:
                partes.append(f"«{col}»")
        celdas = [f"{_letra(j)}1" for d, j in desconocidas.items()] or ["A1"]
        resultado.errores.append(ErrorArchivo(
            f"En la hoja «{nombre}» faltan columnas: {', '.join(partes)}. La fila 1 debe tener los encabezados de la "
            "plantilla, sin cambiarles el nombre; descargue la plantilla si tiene dudas.", nombre, celdas))
        return None
    for d in desconocidas:
        resultado.avisos.append(f"Hoja «{nombre}»: la columna «{d}» no es de la plantilla y no se importa.")
    headers = list(presentes)
    dataset = tablib.Dataset(headers=headers)
    filas_excel: list[int] = []
    vacias: list[int] = []
    for r, values in enumerate(rows, start=2):
        if r - 1 > MAX_ROWS:
            resultado.errores.append(ErrorArchivo(
                f"La hoja «{nombre}» tiene más de {MAX_ROWS:,} filas, el máximo por archivo. Divídala en varios archivos.", nombre))
            return None
        cells = [values[presentes[h] - 1] if presentes[h] - 1 < len(values) else None for h in headers]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
            vacias.append(r)
            continue
        dataset.append(cells)
        filas_excel.append(r)
    ultima = filas_excel[-1] if filas_excel else 1
    for r in vacias:
        if r < ultima:  # empty rows after the data are only formatting
            resultado.filas.append(Fila(nombre, r, "vacia", errores={}))
    return HojaLeida(cls, nombre, dataset, filas_excel, {h: _letra(j) for h, j in presentes.items()})


def leer_libro(data: bytes, nombre: str, clases: list[type[HojaResource]], resultado: Resultado) -> list[HojaLeida]:
    """The sheets of the workbook that can be imported, in the order of `clases`."""
    try:
        wb = open_workbook(data, nombre)
    except ArchivoInvalido as exc:
        resultado.errores.append(ErrorArchivo(exc.mensaje))
        return []
    por_nombre = {normalize(ws.title): ws for ws in wb.worksheets}
    encontradas: list[tuple[type[HojaResource], object]] = []
    for cls in clases:
        ws = por_nombre.get(normalize(cls.hoja))
        if ws is not None:
            encontradas.append((cls, ws))
    if not encontradas and len(clases) == 1:
        datos = [ws for ws in wb.worksheets if ws.sheet_state == "visible" and normalize(ws.title) not in ("instrucciones", "listas")]
        if len(datos) == 1:
            encontradas = [(clases[0], datos[0])]
    if not encontradas:
        nombres = ", ".join(f"«{cls.hoja}»" for cls in clases)
        resultado.errores.append(ErrorArchivo(
            f"El libro no tiene ninguna hoja que se pueda importar ({nombres}). Use la plantilla: sus hojas tienen esos nombres."))
        return []
    leidas = []
    for cls, ws in encontradas:
        hoja = _leer_hoja(ws, cls, resultado)
        if hoja is not None:
            leidas.append(hoja)
            resultado.columnas[hoja.nombre] = hoja.columnas
    wb.close()
    return leidas


# --- import -------------------------------------------------------------------------------------

class _Deshacer(Exception):
    pass


def _filas_de(hoja: HojaLeida, resource: HojaResource, result) -> list[Fila]:
    filas = []
    for n, row_result in enumerate(result.rows, start=1):
        estado = _IMPORT_TYPES.get(row_result.import_type, "rechazada")
        errores: dict[str, list[str]] = {}
        if row_result.validation_error is not None:
            error = row_result.validation_error
            items = error.message_dict.items() if hasattr(error, "error_dict") else [(TODA_LA_FILA, error.messages)]
            for col, messages in items:
                errores.setdefault(col, []).extend(messages)
        for e in row_result.errors:
            errores.setdefault(TODA_LA_FILA, []).append(f"No se pudo guardar: {e.error}")
        cambios = [list(c) for c in resource.cambios.get(n, [])] if estado == "actualiza" else []
        filas.append(Fila(hoja.nombre, hoja.filas_excel[n - 1], estado, resource.descripciones.get(n, ""), errores, cambios))
    return filas


def _ajenas(hoja: HojaLeida, resource: HojaResource, usuario_entidad) -> ErrorArchivo | None:
    if not resource.ajenas:
        return None
    detalle = "; ".join(f"fila {hoja.filas_excel[n - 1]} ({mensaje})" for n, _, mensaje in resource.ajenas[:20])
    mas = f" y {len(resource.ajenas) - 20} más" if len(resource.ajenas) > 20 else ""
    celdas = [f"{hoja.columnas.get(col, 'A')}{hoja.filas_excel[n - 1]}" for n, col, _ in resource.ajenas]
    return ErrorArchivo(
        f"Se rechaza el archivo entero: la hoja «{hoja.nombre}» trae filas que no son de {usuario_entidad.nombre_corto} "
        f"en el plan {resource.plan.codigo}: {detalle}{mas}. Un archivo solo puede traer filas de su entidad; "
        "quite esas filas (o pida a su entidad que las importe) y vuelva a subirlo.", hoja.nombre, celdas)


def importar_libro(*, data: bytes, nombre: str, plan, entidad, usuario, clases=None, aplicar: bool = False,
                   huella: str | None = None, avance=None) -> Resultado:
    """Validate a workbook against the plan and, when `aplicar` and nothing is refused (and
    the outcome is the one previewed, when `huella` is given), write it; else write nothing.
    `avance(progreso, etapa)`, when given, hears how far it got (0-100)."""
    check_can_import(usuario, plan, entidad)
    clases = clases or hojas()
    avance = avance or (lambda progreso, etapa: None)
    resultado = Resultado()
    avance(5, "Leyendo el libro")
    leidas = leer_libro(data, nombre, clases, resultado)
    if resultado.errores or not leidas:
        return resultado
    try:  # a signed plan's structure changes only through an amendment (the one guard): the file's sheets
        estructura_check(plan, [hoja.clase._meta.model for hoja in leidas], releer=True)
    except EstructuraBloqueada as exc:
        resultado.errores.append(ErrorArchivo(str(exc.args[0])))
        return resultado
    total = sum(len(h.dataset) for h in leidas) or 1
    hechas = 0
    try:
        with transaction.atomic():
            for hoja in leidas:
                resource = hoja.clase(plan=plan, entidad=entidad, usuario=usuario)
                resource.filas_excel = hoja.filas_excel
                etapa = f"Hoja «{hoja.nombre}»: fila {{}} de {len(hoja.dataset):,}"
                resource.avance = lambda n, antes=hechas, etapa=etapa: avance(10 + 85 * (antes + n) // total, etapa.format(f"{n:,}"))
                avance(10 + 85 * hechas // total, etapa.format(0))
                hechas += len(hoja.dataset)
                result = resource.import_data(hoja.dataset, dry_run=False, use_transactions=True, raise_errors=False)
                resultado.hojas.append([hoja.clase.titulo, hoja.nombre])
                resultado.filas.extend(_filas_de(hoja, resource, result))
                for error in result.base_errors:
                    resultado.errores.append(ErrorArchivo(
                        f"Hoja «{hoja.nombre}»: la base de datos rechazó un lote de filas ({error.error}). "
                        "Nada se guardó; avise al equipo de soporte con este archivo.", hoja.nombre))
                ajenas = _ajenas(hoja, resource, entidad)
                if ajenas:
                    resultado.errores.append(ajenas)
            resultado.filas.sort(key=lambda f: ([h[1] for h in resultado.hojas].index(f.hoja)
                                                if f.hoja in [h[1] for h in resultado.hojas] else 99, f.fila))
            if not aplicar or not resultado.aplicable or (huella is not None and huella != resultado.huella):
                raise _Deshacer
            resultado.aplicado = True
    except _Deshacer:
        pass
    return resultado


# --- the uploaded file, kept between preview and apply -----------------------------------------

@dataclass
class Subida:
    token: str
    usuario_id: int
    nombre: str
    plan_id: int
    entidad_id: int
    hojas: list[str]  # sheet keys chosen ("" for every sheet of the workbook)
    sha256: str
    creada: float
    resultado: dict | None = None
    # A large file's preview or apply runs on the task worker; its page reads these.
    estado: str = "lista"  # EN_COLA, EN_CURSO, LISTA or FALLIDA (below)
    progreso: int = 0
    etapa: str = ""
    error: str = ""
    aplicada: str = ""  # the summary shown once a background apply has saved the rows

    @property
    def en_espera(self) -> bool:
        return self.estado in (EN_COLA, EN_CURSO)

    @property
    def directorio(self) -> Path:
        return _directorio(self.usuario_id)

    @property
    def ruta(self) -> Path:
        return self.directorio / f"{self.token}.xlsx"

    def data(self) -> bytes:
        data = self.ruta.read_bytes()
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise Http404("El archivo subido cambió en el servidor: súbalo de nuevo.")
        return data

    def guardar(self) -> None:
        meta = asdict(self)
        (self.directorio / f"{self.token}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    def clases(self) -> list[type[HojaResource]]:
        return [hoja_por_clave(h) for h in self.hojas] if self.hojas else hojas()


def _directorio(usuario_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "importaciones" / str(int(usuario_id))


def limpiar_vencidas(ahora: float | None = None) -> None:
    """Remove uploads older than a day (every user's): they were never applied."""
    ahora = ahora or time.time()
    raiz = Path(settings.MEDIA_ROOT) / "importaciones"
    if not raiz.exists():
        return
    for path in raiz.glob("*/*"):
        try:
            if ahora - path.stat().st_mtime > VIGENCIA_SEGUNDOS:
                path.unlink()
        except OSError:
            pass


def subida_save(*, usuario, data: bytes, nombre: str, plan, entidad, hojas_elegidas: list[str]) -> Subida:
    limpiar_vencidas()
    directorio = _directorio(usuario.pk)
    directorio.mkdir(parents=True, exist_ok=True)
    subida = Subida(token=secrets.token_urlsafe(18), usuario_id=usuario.pk, nombre=Path(nombre or "archivo.xlsx").name[:120],
                    plan_id=plan.pk, entidad_id=entidad.pk, hojas=list(hojas_elegidas), sha256=hashlib.sha256(data).hexdigest(),
                    creada=time.time())
    subida.ruta.write_bytes(data)
    subida.guardar()
    return subida


def subida_get(*, usuario, token: str) -> Subida:
    """The user's own upload under `token`; 404 for anyone else's, an unknown or an expired one."""
    if not token or len(token) > 64 or not set(token) <= TOKEN_CHARS:
        raise Http404("No existe esa importación.")
    meta_path = _directorio(usuario.pk) / f"{token}.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise Http404("Esa importación no existe o venció (se guardan por un día): suba el archivo de nuevo.") from None
    subida = Subida(**meta)
    if (subida.usuario_id != usuario.pk or time.time() - subida.creada > VIGENCIA_SEGUNDOS
            or not (subida.aplicada or subida.ruta.exists())):
        raise Http404("Esa importación no existe o venció (se guardan por un día): suba el archivo de nuevo.")
    return subida


def subida_delete(subida: Subida) -> None:
    for path in (subida.ruta, subida.directorio / f"{subida.token}.json"):
        path.unlink(missing_ok=True)


def importar(*, subida: Subida, usuario, aplicar: bool = False, huella: str | None = None, avance=None) -> Resultado:
    """Preview (or apply) a kept upload and remember the outcome with it."""
    from planes.models import Entidad, Plan

    plan = Plan.objects.get(pk=subida.plan_id)
    entidad = Entidad.objects.select_related("nivel").get(pk=subida.entidad_id)
    resultado = importar_libro(data=subida.data(), nombre=subida.nombre, plan=plan, entidad=entidad, usuario=usuario,
                               clases=subida.clases(), aplicar=aplicar, huella=huella, avance=avance)
    subida.resultado = resultado.to_json()
    subida.guardar()
    return resultado


def resumen_aplicada(subida: Subida, resultado: Resultado) -> str:
    c = resultado.contadores
    return (f"Importación aplicada ({subida.nombre}): {c['nueva']} fila(s) nuevas, "
            f"{c['actualiza']} actualizadas, {c['sin_cambios']} sin cambios.")


# --- large files: the task worker -----------------------------------------------------------------

EN_COLA, EN_CURSO, LISTA, FALLIDA = "en_cola", "en_curso", "lista", "fallida"


def filas_directas() -> int:
    """Up to how many rows a file is previewed and applied inside the request."""
    return int(getattr(settings, "AMC_IMPORTACION_FILAS_DIRECTAS", 2000))


def contar_filas(data: bytes, nombre: str, clases: list[type[HojaResource]]) -> int:
    """The data rows of the sheets that would be imported (header aside), read from each
    sheet's dimension in streaming mode; 0 for a file that does not open (its preview says why)."""
    try:
        wb = open_workbook(data, nombre)
    except ArchivoInvalido:
        return 0
    try:
        nombres = {normalize(cls.hoja) for cls in clases}
        hojas_datos = [ws for ws in wb.worksheets if normalize(ws.title) in nombres] or wb.worksheets
        total = 0
        for ws in hojas_datos:
            filas = ws.max_row
            if filas is None:  # no <dimension> in the file: count them
                filas = sum(1 for _ in ws.iter_rows(values_only=True))
            total += max(filas - 1, 0)
        return total
    finally:
        wb.close()


def en_segundo_plano(subida: Subida) -> bool:
    if not getattr(settings, "AMC_IMPORTACION_EN_SEGUNDO_PLANO", True):
        return False
    return contar_filas(subida.data(), subida.nombre, subida.clases()) > filas_directas()


def encolar(subida: Subida, *, usuario, aplicar: bool, huella: str | None = None) -> None:
    """Hand a preview or an apply to the worker; the page of the upload follows it."""
    subida.estado, subida.progreso, subida.error = EN_COLA, 0, ""
    subida.etapa = "En cola para aplicar" if aplicar else "En cola para revisar"
    subida.guardar()
    importar_en_segundo_plano.enqueue(usuario.pk, subida.token, aplicar, huella)


def _avance(subida: Subida):
    def avance(progreso: int, etapa: str) -> None:
        subida.progreso, subida.etapa = min(int(progreso), 99), etapa
        subida.guardar()
    return avance


def procesar_subida(usuario_id: int, token: str, aplicar: bool, huella: str | None = None) -> str:
    """What the worker does: the same `importar()` as the request, its progress kept with the
    upload for its page; the rows' history names the user who uploaded the file."""
    from django.contrib.auth import get_user_model

    from amc.auditoria import con_usuario

    usuario = get_user_model().objects.get(pk=usuario_id)
    subida = subida_get(usuario=usuario, token=token)
    subida.estado = EN_CURSO
    subida.guardar()
    try:
        with con_usuario(usuario):
            resultado = importar(subida=subida, usuario=usuario, aplicar=aplicar, huella=huella, avance=_avance(subida))
    except Exception as exc:  # the user reads why on the upload's page; the log keeps the traceback
        logger.exception("Importación %s falló", token)
        subida.estado, subida.etapa = FALLIDA, "No se pudo terminar"
        subida.error = (str(exc) or type(exc).__name__)[:500]
        subida.guardar()
        return subida.estado
    subida.estado, subida.progreso, subida.etapa = LISTA, 100, ""
    if resultado.aplicado:
        subida.aplicada = resumen_aplicada(subida, resultado)
        subida.ruta.unlink(missing_ok=True)  # applied: the file is no longer needed
    elif aplicar:
        subida.error = NO_APLICADA
    subida.guardar()
    return subida.estado


NO_APLICADA = ("No se aplicó nada: el resultado ya no es el de la vista previa (los datos del plan cambiaron "
               "mientras tanto, o el archivo tiene errores). Revise la vista previa actualizada.")


@task()
def importar_en_segundo_plano(usuario_id: int, token: str, aplicar: bool, huella: str | None = None) -> str:
    """The task the worker runs: preview or apply one large upload."""
    return procesar_subida(usuario_id, token, aplicar, huella)


# --- the refused file, handed back with its errors marked --------------------------------------

def libro_con_errores(data: bytes, resultado: Resultado) -> bytes:
    """The uploaded workbook with every refused cell filled red and commented, and a first
    sheet «Errores» listing every message (sheet, row, column)."""
    import warnings

    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        wb = openpyxl.load_workbook(io.BytesIO(data))
    rojo = PatternFill("solid", fgColor="FFC7CE")
    listado: list[list] = []

    def marcar(ws, ref: str, texto: str) -> None:
        cell = ws[ref]
        cell.fill = rojo
        previo = cell.comment.text + "\n" if cell.comment else ""
        comment = Comment(previo + texto, "AMC")
        comment.width, comment.height = 320, 140
        cell.comment = comment

    for error in resultado.errores:
        listado.append([error.hoja or "", "", "", error.mensaje])
        if error.hoja and error.hoja in wb.sheetnames:
            ws = wb[error.hoja]
            for ref in error.celdas:
                if ":" in ref:
                    ref = ref.split(":")[0]
                marcar(ws, ref, error.mensaje)
    for fila in resultado.filas:
        if not fila.errores or fila.hoja not in wb.sheetnames:
            continue
        ws = wb[fila.hoja]
        letras = resultado.columnas.get(fila.hoja, {})
        for col, mensajes in fila.errores.items():
            letra = letras.get(col) or "A"
            marcar(ws, f"{letra}{fila.fila}", "\n".join(mensajes))
            for m in mensajes:
                listado.append([fila.hoja, fila.fila, "" if col == TODA_LA_FILA else col, m])
    if "Errores" in wb.sheetnames:
        del wb["Errores"]
    ws = wb.create_sheet("Errores", 0)
    for j, header in enumerate(["Hoja", "Fila", "Columna", "Qué corregir"], start=1):
        ws.cell(row=1, column=j, value=header).font = Font(bold=True)
    for i, values in enumerate(listado, start=2):
        for j, value in enumerate(values, start=1):
            set_text(ws.cell(row=i, column=j), value) if isinstance(value, str) else ws.cell(row=i, column=j, value=value)
    for letter, width in zip("ABCD", (24, 8, 26, 110)):
        ws.column_dimensions[letter].width = width
    wb.active = 0
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- templates ----------------------------------------------------------------------------------

REGLAS = [
    "Cómo usar esta plantilla",
    "1. Llene o corrija las filas de cada hoja. La fila 1 tiene los encabezados: no les cambie el nombre ni combine celdas.",
    "2. Cada fila se identifica por su clave (por ejemplo, problema y letra de una causa; orden de una actividad). "
    "Si la clave ya existe en el plan, la fila la actualiza; si no, crea una nueva. Nada se borra: una fila que quite del "
    "archivo queda como estaba en el sistema.",
    "3. El archivo solo puede traer filas de su entidad y del plan elegido: si trae filas de otra, se rechaza entero.",
    "4. Montos en soles con punto decimal y coma de miles: 1234.50, 1,234.50, S/ 1,234.50 o S/. 1,234.50. "
    "No use coma decimal (1.234,50): se rechaza, porque en Perú se leería mal.",
    "5. Las filas vacías se omiten. Las columnas de referencia (nombre del indicador, totales, estado) no se importan.",
    "6. Al subir el archivo verá primero qué se crearía, actualizaría o rechazaría, fila por fila; nada se guarda hasta "
    "que confirme, y solo si no hay filas rechazadas. Si hay errores, descargue el archivo con las celdas marcadas y "
    "un comentario en cada una, corríjalo y súbalo de nuevo.",
]


def plantilla(*, plan, entidad, clases: list[type[HojaResource]], usuario=None) -> bytes:
    """A workbook for `plan` and `entidad`: one sheet per class, pre-filled with the entity's
    existing rows, drop-down lists, a comment on each header, and «Instrucciones»."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from amc.excel import MONEY_FORMAT, NUMBER_FORMAT

    wb = Workbook()
    wb.remove(wb.active)
    bold, shade = Font(bold=True), PatternFill("solid", fgColor="DDE5EC")
    ref_shade = PatternFill("solid", fgColor="EEEEEE")
    listas: dict[str, list] = {"planes": [plan.codigo], "entidades": [entidad.codigo], "niveles": list(NIVELES)}
    resources = [cls(plan=plan, entidad=entidad, usuario=usuario) for cls in clases]
    for resource in resources:
        for nombre, valores in resource.listas().items():
            listas.setdefault(nombre, list(valores))
    ws_listas_nombre = "Listas"
    posiciones: dict[str, str] = {}
    for j, nombre in enumerate(sorted(listas), start=1):
        col = _letra(j)
        posiciones[nombre] = f"{ws_listas_nombre}!${col}$2:${col}${max(len(listas[nombre]), 1) + 1}"

    for resource in resources:
        cls = type(resource)
        ws = wb.create_sheet(cls.hoja)
        columnas = cls.columnas()
        for j, columna in enumerate(columnas, start=1):
            cell = ws.cell(row=1, column=j)
            set_text(cell, columna.column_name)
            cell.font, cell.fill = bold, (ref_shade if columna.referencia else shade)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            comment = Comment(columna.ayuda or columna.column_name, "AMC")
            comment.width, comment.height = 300, 110
            cell.comment = comment
            ws.column_dimensions[_letra(j)].width = columna.ancho
        dataset = resource.export(resource.filas_de_plantilla())
        n = 1
        for n, values in enumerate(dataset, start=2):
            for j, (columna, value) in enumerate(zip(columnas, values), start=1):
                cell = ws.cell(row=n, column=j)
                if value is None or value == "":
                    continue
                if isinstance(value, str):
                    set_text(cell, value)
                else:
                    cell.value = value
                    if columna.tipo == "money":
                        cell.number_format = MONEY_FORMAT
                    elif columna.tipo == "number":
                        cell.number_format = NUMBER_FORMAT
        ws.freeze_panes = "A2"
        ultima = max(n, 1) + 1000
        for j, columna in enumerate(columnas, start=1):
            if not columna.lista or not listas.get(columna.lista):
                continue
            dv = DataValidation(type="list", formula1=f"={posiciones[columna.lista]}", allow_blank=True)
            dv.showErrorMessage = True
            dv.errorStyle = "stop" if columna.lista_estricta else "information"
            dv.errorTitle = columna.column_name[:32]  # Excel's limit for titles
            dv.error = ("Elija un valor de la lista." if columna.lista_estricta
                        else "Ese valor no está en la lista: se aceptará si es correcto.")
            dv.promptTitle = columna.column_name[:32]
            dv.prompt = (columna.ayuda or "")[:250]
            dv.showInputMessage = True
            ws.add_data_validation(dv)
            dv.add(f"{_letra(j)}2:{_letra(j)}{ultima}")

    ws = wb.create_sheet("Instrucciones")
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["C"].width = 12
    ws.column_dimensions["D"].width = 80
    ws.column_dimensions["E"].width = 18
    r = 1
    set_text(ws.cell(row=r, column=1), f"Plantilla de importación · {plan.titulo}")
    ws.cell(row=r, column=1).font = Font(bold=True, size=13)
    r += 1
    set_text(ws.cell(row=r, column=1), f"Plan: {plan.codigo} · Entidad: {entidad.nombre} ({entidad.codigo})")
    r += 2
    for linea in REGLAS:
        set_text(ws.cell(row=r, column=1), linea)
        ws.cell(row=r, column=1).font = Font(bold=(linea == REGLAS[0]))
        r += 1
    for resource in resources:
        cls = type(resource)
        r += 1
        set_text(ws.cell(row=r, column=1), f"Hoja «{cls.hoja}»")
        ws.cell(row=r, column=1).font = Font(bold=True, size=12)
        r += 1
        for texto in [cls.explicacion, *resource.notas()]:
            set_text(ws.cell(row=r, column=1), texto)
            r += 1
        for j, header in enumerate(["Columna", "Obligatoria", "Qué escribir", "Ejemplo"], start=2):
            ws.cell(row=r, column=j, value=header).font = bold
        r += 1
        for columna in cls.columnas():
            set_text(ws.cell(row=r, column=2), columna.column_name)
            ws.cell(row=r, column=3, value="Referencia" if columna.referencia else ("Sí" if columna.obligatoria else "No"))
            set_text(ws.cell(row=r, column=4), columna.ayuda)
            ws.cell(row=r, column=4).alignment = Alignment(wrap_text=True, vertical="top")
            if columna.ejemplo:
                set_text(ws.cell(row=r, column=5), columna.ejemplo)
            r += 1

    ws = wb.create_sheet(ws_listas_nombre)
    for j, nombre in enumerate(sorted(listas), start=1):
        ws.cell(row=1, column=j, value=nombre).font = bold
        for i, value in enumerate(listas[nombre], start=2):
            cell = ws.cell(row=i, column=j)
            set_text(cell, value) if isinstance(value, str) else setattr(cell, "value", value)
    ws.sheet_state = "hidden"
    wb.active = 0
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
