"""The layering of the apps, kept by a test.

Every module of every app is parsed with `ast` (imports inside functions included) and each
import of another of the project's apps must go down the layers below, never up or
sideways; so there can be no cycle between apps either. The README's map shows the layers.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Bottom to top. An app may import the apps of its own layer's index or lower.
LAYERS: list[tuple[str, ...]] = [
    ("amc",),  # project machinery: settings, access rules, base model, formatting, renderers, Excel writer
    ("planes",),  # entities, users, the plan; the report vocabulary
    ("importacion",),  # Excel import and lists: the machinery; each app registers its sheets and lists
    ("matrices",),  # diagnosis, alignment, roles, results chain, activities, indicators
    ("presupuesto",),  # budget lines of the activities
    ("seguimiento",),  # periods, values, progress, execution, review
    ("cronograma",),  # schedule; shows the progress reported in follow-up
    ("documento",),  # the whole plan as one document: composes every report
    ("avisos",),  # the home page's work queues, notices and their e-mail: told by seguimiento's signals
    ("nacional",),  # the national view (regions x catalogue indicators) and the trends over years
]
LAYER = {app: i for i, apps in enumerate(LAYERS) for app in apps}


def imported_apps(path: Path, app: str) -> set[tuple[str, int]]:
    """(app, line) of every project app a module imports, wherever the import statement is."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[tuple[str, int]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: inside the same app
                continue
            names = [node.module or ""]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in LAYER and top != app:
                found.add((top, node.lineno))
    return found


def app_graph(root: Path = ROOT) -> dict[str, dict[str, list[str]]]:
    """app -> imported app -> ["module.py:line", ...] for every module of every app."""
    graph: dict[str, dict[str, list[str]]] = {app: {} for app in LAYER}
    for app in LAYER:
        for path in sorted((root / app).rglob("*.py")):
            for other, line in imported_apps(path, app):
                graph[app].setdefault(other, []).append(f"{path.relative_to(root)}:{line}")
    return graph


def violations(graph: dict[str, dict[str, list[str]]]) -> list[str]:
    """Imports against the layering: an app importing an app of a higher (or its own) layer."""
    problems = []
    for app, edges in graph.items():
        for other, where in sorted(edges.items()):
            if LAYER[other] >= LAYER[app]:
                problems.append(f"{app} (capa {LAYER[app]}) importa {other} (capa {LAYER[other]}) en {', '.join(where)}")
    return problems


def cycles(graph: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """Cycles between apps (depth-first search), each as the list of apps around it."""
    found, stack, state = [], [], {}

    def visit(app):
        state[app] = "open"
        stack.append(app)
        for other in graph.get(app, {}):
            if state.get(other) == "open":
                found.append(stack[stack.index(other):] + [other])
            elif other not in state:
                visit(other)
        stack.pop()
        state[app] = "done"

    for app in graph:
        if app not in state:
            visit(app)
    return found


def test_every_app_is_in_a_layer():
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert apps <= set(LAYER), f"Apps sin capa en tests/test_architecture.py: {sorted(apps - set(LAYER))}"


def test_apps_import_only_the_layers_below_them():
    graph = app_graph()
    assert violations(graph) == []
    assert cycles(graph) == []


def test_the_project_package_imports_no_app():
    assert app_graph()["amc"] == {}


def _fake_project(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("files, expected", [
    # planes importing matrices inside a function (the old "import up to dodge a cycle")
    ({"planes/selectors.py": "def f():\n    from matrices import models\n",
      "matrices/models.py": "from planes.models import Plan\n"}, ["planes (capa 1) importa matrices (capa 3)"]),
    # amc importing an app
    ({"amc/access.py": "import planes.models\n"}, ["amc (capa 0) importa planes (capa 1)"]),
])
def test_the_check_fails_on_an_import_up_the_layers(tmp_path, files, expected):
    graph = app_graph(_fake_project(tmp_path, files))
    found = violations(graph)
    assert [v.split(" en ")[0] for v in found] == expected
    assert all(f"{path}:" in v for v in found for path in files if path.split("/")[0] == v.split(" ")[0])


def test_the_check_finds_a_cycle(tmp_path):
    graph = app_graph(_fake_project(tmp_path, {
        "matrices/reports.py": "from presupuesto import reports\n",
        "presupuesto/reports.py": "def f():\n    import matrices.reports\n",
    }))
    assert cycles(graph) == [["matrices", "presupuesto", "matrices"]]
    assert violations(graph) == [f"matrices (capa 3) importa presupuesto (capa 4) en {Path('matrices/reports.py')}:1"]
