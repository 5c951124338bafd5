"""The house's floors: ``core`` is the ground floor and imports no domain app; the settings import
no app at all (they are read before any app is loaded)."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "lvzhi"
ABOVE_CORE = ("deputies", "organizations", "suggestions", "motions", "supervision", "notifications")
ABOVE_ALL = ("portal", "demo")
APPS = ("core", "accounts", *ABOVE_CORE, *ABOVE_ALL)


def lvzhi_imports(path: Path) -> set[str]:
    """The ``lvzhi.<name>`` packages a module imports, relative imports resolved, at any depth
    (a function-level import counts as much as a top-level one)."""
    package = ".".join(path.relative_to(SRC.parent).with_suffix("").parts)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            modules = [base] if node.module else [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        names.update(module.split(".")[1] for module in modules if module.startswith("lvzhi."))
    return names


@pytest.mark.parametrize("path", sorted((SRC / "core").rglob("*.py")), ids=lambda path: path.name)
def test_core_imports_no_domain_app(path):
    assert not lvzhi_imports(path) & {*ABOVE_CORE, *ABOVE_ALL}


@pytest.mark.parametrize("path", sorted((SRC / "settings").rglob("*.py")), ids=lambda path: path.name)
def test_settings_import_no_app(path):
    assert not lvzhi_imports(path) & set(APPS)
