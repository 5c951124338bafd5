"""The house's rules, read from the code with ``ast`` so that they stay true (docs/DEVELOPING.md,
"The floors"):

- every app sits on a floor and imports only apps on lower floors: ``core`` is the ground floor
  and imports no domain app; the settings import no app at all;
- no import circle between the modules of ``src/`` (a function-level import counts too);
- no app imports a private name (``_name``) of another app: what crosses a border is public;
- no source file over 800 lines (migrations aside): split it by subject.
"""

import ast
from functools import cache
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "lvzhi"
MAX_LINES = 800

# From the ground up. An app may import the apps of the floors below its own, never those of its
# own floor or above. The site's entry points (urls, the command line, WSGI) stand on top.
FLOORS: tuple[frozenset[str], ...] = (
    frozenset({"settings", "accounts", "celery"}),
    frozenset({"core"}),
    frozenset({"organizations", "notifications"}),
    frozenset({"deputies"}),
    frozenset({"suggestions", "access"}),
    frozenset({"motions", "supervision"}),
    frozenset({"portal", "demo"}),
    frozenset({"urls", "api_urls", "cli", "wsgi"}),
)
FLOOR_OF = {app: level for level, apps in enumerate(FLOORS) for app in apps}


def _sources() -> list[Path]:
    return sorted(path for path in SRC.rglob("*.py") if "migrations" not in path.parts)


def _module(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _app(module: str) -> str:
    return module.split(".")[1] if "." in module else ""


def _imports_in(source: str, package: str) -> tuple[tuple[str, str | None], ...]:
    """(module, imported name or None) for every ``lvzhi`` import in ``source``, at any depth,
    relative ones resolved from ``package``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found += [(base, alias.name) for alias in node.names]
    return tuple((base, name) for base, name in found if base == "lvzhi" or base.startswith("lvzhi."))


@cache
def _imports(path: Path) -> tuple[tuple[str, str | None], ...]:
    module = _module(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    return _imports_in(path.read_text(encoding="utf-8"), package)


@cache
def _modules() -> dict[str, Path]:
    return {_module(path): path for path in _sources()}


def _targets(path: Path) -> set[str]:
    """The modules of ``src/`` that ``path`` imports (``from pkg import sub`` names the submodule)."""
    modules = _modules()
    targets = set()
    for base, name in _imports(path):
        if name is not None and f"{base}.{name}" in modules:
            targets.add(f"{base}.{name}")
        elif base in modules:
            targets.add(base)
    targets.discard(_module(path))
    return targets


def test_every_app_has_a_floor():
    apps = {_app(_module(path)) for path in _sources()} - {""}
    assert apps - set(FLOOR_OF) == set()


@pytest.mark.parametrize("path", _sources(), ids=lambda path: str(path.relative_to(SRC)))
def test_an_app_imports_only_the_floors_below_it(path):
    own = _app(_module(path))
    upward = sorted(
        f"{base}"
        for base, _name in _imports(path)
        if (other := _app(base)) != own and FLOOR_OF[other] >= FLOOR_OF[own]
    )
    assert upward == []


@pytest.mark.parametrize("path", _sources(), ids=lambda path: str(path.relative_to(SRC)))
def test_no_private_name_crosses_an_app_border(path):
    own = _app(_module(path))
    private = sorted(
        f"{base}.{name}"
        for base, name in _imports(path)
        if name is not None and name.startswith("_") and _app(base) != own
    )
    assert private == []


def test_no_import_circle():
    graph = {module: _targets(path) for module, path in _modules().items()}
    circles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                circles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    assert [" -> ".join(circle) for circle in circles] == []


@pytest.mark.parametrize("path", _sources(), ids=lambda path: str(path.relative_to(SRC)))
def test_no_source_file_is_over_800_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(SRC)}: {lines} lines"


def test_the_reader_finds_relative_function_level_and_private_imports():
    source = "from ..suggestions.handling import _hidden\n\ndef f():\n    from lvzhi.portal import views\n"

    found = set(_imports_in(source, "lvzhi.supervision"))

    assert found == {("lvzhi.suggestions.handling", "_hidden"), ("lvzhi.portal", "views")}
