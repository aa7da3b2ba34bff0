#!/usr/bin/env python3
"""Smoke test of a running AMC (after a deployment, and in CI under gunicorn with a worker):

    python3 deploy/smoke.py http://127.0.0.1:8001 planificador 'su-clave'

1. /salud/ answers 200: the database and the task worker are alive (waits up to 90 s);
2. the user logs in; 3. a report page opens; 4. the whole plan's PDF is exported through the
worker (progress page, then the file); 5. asked again, the same PDF comes at once.
Standard library only, so it runs on any server. Exit code 0 when every step passed.
"""
from __future__ import annotations

import http.cookiejar
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main(base: str, usuario: str, clave: str) -> int:
    jar = http.cookiejar.CookieJar()
    web = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    sin_seguir = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)

    def paso(texto):
        print(f"· {texto}", flush=True)

    # 1. health
    limite = time.time() + 180
    while True:
        try:
            with web.open(base + "/salud/", timeout=60) as r:
                salud = json.loads(r.read())
                break
        except urllib.error.HTTPError as e:
            salud = json.loads(e.read() or b"{}")
            if time.time() > limite:
                print(f"FALLA /salud/: {salud}")
                return 1
            time.sleep(2)
        except urllib.error.URLError:
            if time.time() > limite:
                print("FALLA: la aplicación no responde")
                return 1
            time.sleep(2)
    paso(f"salud: {salud}")

    # 2. log in
    pagina = web.open(base + "/ingresar/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', pagina).group(1)
    datos = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": usuario, "password": clave}).encode()
    inicio = web.open(urllib.request.Request(base + "/ingresar/", data=datos, headers={"Referer": base + "/ingresar/"}))
    home = inicio.read().decode()
    if "/salir/" not in home:
        print("FALLA: no se pudo ingresar")
        return 1
    plan = re.search(r'href="/planes/(\d+)/"', home)
    if not plan:
        print("FALLA: la página de inicio no lista ningún plan")
        return 1
    plan_id = plan.group(1)
    paso(f"ingresó como {usuario}; plan {plan_id}")

    # 3. a report page
    t = time.time()
    matriz = web.open(f"{base}/planes/{plan_id}/matriz-logica/?nivel=GN").read().decode()
    if "Matriz lógica" not in matriz:
        print("FALLA: la matriz lógica no se muestra")
        return 1
    paso(f"matriz lógica en {time.time() - t:.2f} s")

    # 4. the whole plan as PDF, through the worker
    url = f"{base}/planes/{plan_id}/documento/?formato=pdf"
    t = time.time()
    try:
        sin_seguir.open(url)
        print("FALLA: el PDF no pasó por el trabajador")
        return 1
    except urllib.error.HTTPError as e:
        progreso = urllib.parse.urljoin(base, e.headers["Location"])
    paso(f"pedido en {time.time() - t:.2f} s; progreso en {progreso}")
    limite = time.time() + 300
    while True:
        pagina = web.open(progreso).read().decode()
        if 'id="descargar"' in pagina:
            break
        if "No se pudo generar" in pagina or time.time() > limite:
            print("FALLA: " + re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", pagina))[-400:])
            return 1
        time.sleep(2)
    archivo = web.open(urllib.parse.urljoin(progreso, "archivo/")).read()
    if not archivo.startswith(b"%PDF"):
        print("FALLA: el archivo no es un PDF")
        return 1
    paso(f"PDF de {len(archivo):,} bytes listo en {time.time() - t:.1f} s")

    # 5. again: at once
    t = time.time()
    try:
        sin_seguir.open(url)
    except urllib.error.HTTPError as e:
        if not e.headers["Location"].endswith("/archivo/"):
            print("FALLA: el mismo PDF se volvió a generar")
            return 1
    paso(f"el mismo PDF otra vez: al instante ({time.time() - t:.2f} s)")
    print("OK")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]))
