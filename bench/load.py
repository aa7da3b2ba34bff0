"""Load test (issue 13, performance): the application under gunicorn with the national-scale plan.

    DATABASE_URL=postgres://root@127.0.0.1:5432/amc_h6 .venv/bin/python bench/carga_nacional.py   # once
    DATABASE_URL=postgres://root@127.0.0.1:5432/amc_h6 .venv/bin/python bench/load.py --usuarios 1 --duracion 20
    DATABASE_URL=postgres://root@127.0.0.1:5432/amc_h6 .venv/bin/python bench/load.py --usuarios 32 --duracion 45
    DATABASE_URL=... .venv/bin/python bench/load.py --usuarios 4 --duracion 40 --pdfs 3   # home while 3 PDFs render
    DATABASE_URL=... .venv/bin/python bench/load.py --usuarios 32 --duracion 45 --pausa 5  # people reading: 5 s between pages

Starts gunicorn with `deploy/gunicorn.conf.py` (3 workers, DEBUG off, bound to 127.0.0.1 only),
logs in sessions of three roles (planner: reports, dashboard, schedule, whole plan, lists;
ministry: review; regional staff: home and entry), and for a fixed time each simulated user
requests its pages one after another (no think time by default: the worst case; `--pausa S`
waits S seconds on average, 0.5 S to 1.5 S at random, after each page, as a person reading it
does). It prints requests per
second, p50 / p99 / max per page, the errors (status ≥ 400 or no answer: must be 0) and the
load average of the machine (shared: note it with the figures). With `--pdfs N` a task worker
(`manage.py db_worker`) is started, at nice 10 as deploy/amc-worker@.service runs it (`--nice`),
and N whole-plan PDFs are requested first; the pages are then measured while they render and
the worker's peak memory (VmHWM) is printed.

Bench only: it never talks to anything but 127.0.0.1.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
CLAVE = "carga-2015!"


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _entorno(puerto: int) -> dict:
    env = dict(os.environ)
    env.update({"DEBUG": "0", "SECRET_KEY": "bench-load-" + "x" * 60, "ALLOWED_HOSTS": "127.0.0.1",
                "SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0",
                "GUNICORN_BIND": f"127.0.0.1:{puerto}", "GUNICORN_WORKERS": env.get("GUNICORN_WORKERS", "3"),
                "GUNICORN_LOGLEVEL": "warning", "DJANGO_SETTINGS_MODULE": "amc.settings",
                "STATIC_ROOT": str(RAIZ / "bench" / ".static"), "MEDIA_ROOT": str(RAIZ / "bench" / ".media")})
    if "DATABASE_URL" not in env:
        sys.exit("Falta DATABASE_URL (la base de carga: bench/carga_nacional.py).")
    return env


class Sesion:
    """One logged-in browser: cookies, CSRF, timed GETs."""

    def __init__(self, base: str, usuario: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        html = self.opener.open(base + "/ingresar/", timeout=60).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        datos = urllib.parse.urlencode({"username": usuario, "password": CLAVE, "csrfmiddlewaretoken": token}).encode()
        r = self.opener.open(urllib.request.Request(base + "/ingresar/", data=datos), timeout=60)
        if "/ingresar/" in r.geturl():
            raise RuntimeError(f"{usuario} no pudo ingresar")
        self.csrf = next(c.value for c in self.jar if c.name == "csrftoken")

    def get(self, ruta: str) -> tuple[int, float, str]:
        inicio = time.perf_counter()
        try:
            r = self.opener.open(self.base + ruta, timeout=120)
            r.read()
            return r.status, time.perf_counter() - inicio, r.geturl()
        except urllib.error.HTTPError as e:
            return e.code, time.perf_counter() - inicio, ruta
        except OSError:
            return 0, time.perf_counter() - inicio, ruta


def paginas(plan_id: int, periodo_id: int, entidad_id: int) -> dict[str, list[tuple[str, str]]]:
    """Each role's pages, in the order a user goes through them."""
    p = f"/planes/{plan_id}"
    return {
        "planificador": [("inicio", "/"), ("seguimiento", f"{p}/seguimiento/"), ("tablero", f"{p}/tablero/"),
                         ("cronograma", f"{p}/cronograma/"), ("documento", f"{p}/documento/"),
                         ("lista indicadores", "/listas/indicadores/"), ("plan", f"{p}/")],
        "ministerio": [("inicio", "/"), ("revisión", f"{p}/revision/"),
                       ("revisión entrega", f"{p}/revision/{periodo_id}/{entidad_id}/"), ("seguimiento", f"{p}/seguimiento/")],
        "regional": [("inicio", "/"), ("registro", f"{p}/reportar/{periodo_id}/"), ("tablero", f"{p}/tablero/")],
    }


def _ids(env) -> tuple[int, int, int, int]:
    codigo = ("import django; django.setup(); from planes.models import Plan, Entidad; from seguimiento.models import PeriodoReporte;"
              "p = Plan.objects.get(codigo='carga-nacional'); per = PeriodoReporte.objects.filter(plan=p).order_by('-inicio').first();"
              "n = Entidad.objects.filter(codigo__startswith='bench-region-').count();"
              "e = Entidad.objects.get(codigo='bench-region-1'); print(p.pk, per.pk, e.pk, n)")
    salida = subprocess.run([sys.executable, "-c", codigo], env=env, cwd=RAIZ, capture_output=True, text=True, check=True)
    return tuple(int(x) for x in salida.stdout.split())


def _esperar(base: str, proceso, segundos=60):
    limite = time.time() + segundos
    while time.time() < limite:
        if proceso.poll() is not None:
            sys.exit("gunicorn terminó al arrancar")
        try:
            urllib.request.urlopen(base + "/ingresar/", timeout=5).read()
            return
        except OSError:
            time.sleep(0.5)
    sys.exit("gunicorn no respondió")


def _pct(valores: list[float], q: float) -> float:
    if len(valores) == 1:
        return valores[0]
    return statistics.quantiles(valores, n=100, method="inclusive")[int(q) - 1]


def _vmhwm(pid: int) -> int:
    """Peak resident memory (kB) of a process and its children still alive."""
    total = 0
    for p in [pid] + [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()] if Path(f"/proc/{pid}").exists() else []:
        try:
            for linea in Path(f"/proc/{p}/status").read_text().splitlines():
                if linea.startswith("VmHWM:"):
                    total = max(total, int(linea.split()[1]))
        except OSError:
            pass
    return total


def _bajar_prioridad(pid: int, nice: int) -> None:
    """The worker's session at `nice` too. With the kernel's autogroup (Linux's default for
    desktops and many servers: /proc/sys/kernel/sched_autogroup_enabled) every session is one
    scheduling group and the groups share the CPU equally, so a process's own nice only orders
    it within its session; gunicorn and the worker each run in a session of their own."""
    try:
        Path(f"/proc/{pid}/autogroup").write_text(str(nice))
    except OSError:
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--usuarios", type=int, default=32)
    parser.add_argument("--duracion", type=float, default=45, help="segundos de carga (máx. 60 en la máquina compartida)")
    parser.add_argument("--pdfs", type=int, default=0, help="documentos completos en PDF pedidos antes de la carga")
    parser.add_argument("--trabajadores", type=int, default=1, help="procesos db_worker para los PDF (cuántos se hacen a la vez)")
    parser.add_argument("--solo", default="", help="roles separados por coma (planificador,ministerio,regional)")
    parser.add_argument("--paginas", default="", help="solo estas páginas (nombres separados por coma)")
    parser.add_argument("--pausa", type=float, default=0, help="segundos de lectura entre páginas, en promedio "
                        "(0,5 a 1,5 veces, al azar); 0: sin pausa, el peor caso")
    parser.add_argument("--nice", type=int, default=10, help="prioridad (nice) del trabajador de tareas, como Nice= "
                        "en deploy/amc-worker@.service; 0: la misma que la web")
    args = parser.parse_args()
    args.duracion = min(args.duracion, 60)

    puerto = _puerto_libre()
    base = f"http://127.0.0.1:{puerto}"
    env = _entorno(puerto)
    plan_id, periodo_id, entidad_id, n_regiones = _ids(env)
    registro = open(RAIZ / "bench" / ".load-gunicorn.log", "w")
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=RAIZ, check=True)
    gunicorn = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "amc.wsgi"],
                                env=env, cwd=RAIZ, stdout=registro, stderr=subprocess.STDOUT, start_new_session=True)
    worker, trabajadores = None, []
    try:
        _esperar(base, gunicorn)
        rutas = paginas(plan_id, periodo_id, entidad_id)
        roles = [r for r in (args.solo.split(",") if args.solo else ["planificador", "ministerio", "regional"])]
        # 32 users: a quarter planners, an eighth ministry reviewers, the rest regional staff.
        reparto = []
        for i in range(args.usuarios):
            rol = roles[i % len(roles)] if args.solo else ("planificador" if i % 8 in (0, 4) else "ministerio" if i % 8 == 2 else "regional")
            nombre = {"planificador": "carga-planificador", "ministerio": "carga-ministerio"}.get(rol, f"carga-region-{i % n_regiones + 1}")
            reparto.append((rol, nombre))
        sesiones = [(rol, Sesion(base, nombre)) for rol, nombre in reparto]
        if args.pdfs:
            trabajadores = [subprocess.Popen([sys.executable, "manage.py", "db_worker", "--worker-id", f"bench-{puerto}-{t}"],
                                             env=env, cwd=RAIZ, stdout=registro, stderr=subprocess.STDOUT, start_new_session=True,
                                             preexec_fn=(lambda: os.nice(args.nice)) if args.nice else None)
                            for t in range(args.trabajadores)]
            worker = trabajadores[0]
            for t in trabajadores if args.nice else ():
                _bajar_prioridad(t.pid, args.nice)
            pdf = Sesion(base, "carga-planificador")
            for k in range(args.pdfs):  # three different requests (filters differ), so three files are made
                estado, _, url = pdf.get(f"/planes/{plan_id}/documento/?formato=pdf&bench={time.time_ns()}-{k}")
                print(f"  PDF {k + 1}: {estado} → {url.removeprefix(base)}")
        resultados: dict[str, list[float]] = defaultdict(list)
        errores: dict[str, list[int]] = defaultdict(list)
        cerrojo = threading.Lock()
        carga0 = os.getloadavg()
        fin = time.perf_counter() + args.duracion
        filtro = set(args.paginas.split(",")) if args.paginas else None

        def usuario(k: int, rol: str, sesion: Sesion):
            lista = [x for x in rutas[rol] if filtro is None or x[0] in filtro] or rutas[rol]
            i = k  # users start at different pages
            azar = random.Random(k)
            if args.pausa:  # people do not all click at the same instant
                time.sleep(azar.uniform(0, args.pausa))
            while time.perf_counter() < fin:
                nombre, ruta = lista[i % len(lista)]
                i += 1
                estado, segundos, _ = sesion.get(ruta)
                with cerrojo:
                    resultados[nombre].append(segundos)
                    if not 200 <= estado < 400:
                        errores[nombre].append(estado)
                if args.pausa:
                    time.sleep(min(azar.uniform(0.5, 1.5) * args.pausa, max(fin - time.perf_counter(), 0)))

        hilos = [threading.Thread(target=usuario, args=(k, rol, s)) for k, (rol, s) in enumerate(sesiones)]
        inicio = time.perf_counter()
        for h in hilos:
            h.start()
        for h in hilos:
            h.join()
        total = time.perf_counter() - inicio
        carga1 = os.getloadavg()
        n = sum(len(v) for v in resultados.values())
        print(f"AMC · prueba de carga · {args.usuarios} usuarios · {total:.0f} s · plan {plan_id} (25 entidades × 40 indicadores × 12 meses)"
              + (f" · pausa {args.pausa:g} s entre páginas" if args.pausa else " · sin pausa")
              + (f" · {args.pdfs} PDF del documento en curso (trabajador con nice {args.nice})" if args.pdfs else ""))
        print(f"carga media de la máquina: {carga0[0]:.2f} al empezar, {carga1[0]:.2f} al terminar (1 min)")
        print(f"{'página':<20} {'pedidos':>7} {'p50 ms':>8} {'p99 ms':>8} {'máx ms':>8} {'errores':>8}")
        for nombre in sorted(resultados):
            v = resultados[nombre]
            print(f"{nombre:<20} {len(v):7d} {_pct(v, 50) * 1000:8.0f} {_pct(v, 99) * 1000:8.0f} {max(v) * 1000:8.0f} "
                  f"{len(errores[nombre]):8d}" + (f"  {sorted(set(errores[nombre]))}" if errores[nombre] else ""))
        print(f"total: {n} pedidos, {n / total:.1f} pedidos/s, {sum(len(e) for e in errores.values())} errores")
        if worker is not None:
            for t in trabajadores:
                print(f"trabajador de tareas {t.pid}: memoria máxima (VmHWM) {_vmhwm(t.pid) / 1024:.0f} MB")
            from collections import Counter
            estados = subprocess.run([sys.executable, "-c", "import django; django.setup(); from amc.models import Exportacion; "
                                      "print(*Exportacion.objects.filter(titulo__contains='prueba de carga').values_list('estado', flat=True))"],
                                     env=env, cwd=RAIZ, capture_output=True, text=True).stdout.split()
            print(f"exportaciones del plan de carga: {dict(Counter(estados))}")
    finally:
        for proceso in (*(trabajadores if worker is not None else ()), gunicorn):
            if proceso is not None and proceso.poll() is None:
                os.killpg(proceso.pid, signal.SIGTERM)
                try:
                    proceso.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(proceso.pid, signal.SIGKILL)
        registro.close()


if __name__ == "__main__":
    main()
