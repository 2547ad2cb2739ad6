"""The code's layering, read from the source with ``ast`` (no import is run).

A models module imports the helpers it uses (views, directory queries, figures) at its top, and
those helpers never import their app's models at import time (they look page types up with
``apps.get_model`` when they run): no module is in an import cycle, and no models module hides
one behind a function-level import.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
# The project's own apps: those of INSTALLED_APPS that are folders of this repository.
APPS = [app for app in settings.INSTALLED_APPS if "." not in app and (ROOT / app).is_dir()]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _project_modules() -> dict[str, Path]:
    modules = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                modules[_module_name(path)] = path
    return modules


MODULES = _project_modules()


def _is_models_module(name: str) -> bool:
    parts = name.split(".")
    return len(parts) >= 2 and parts[1] == "models"


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.Module, *, in_functions: bool):
    """Import statements run when the module is imported (``in_functions=False``: module and
    class bodies, not ``if TYPE_CHECKING:``), or those inside functions (``True``)."""

    def walk(nodes, in_function):
        for node in nodes:
            if isinstance(node, ast.Import | ast.ImportFrom):
                if in_function == in_functions:
                    yield node
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                yield from walk(ast.iter_child_nodes(node), True)
            elif isinstance(node, ast.If) and _is_type_checking(node) and not in_function:
                yield from walk(node.orelse, in_function)
            else:
                yield from walk(ast.iter_child_nodes(node), in_function)

    return list(walk(tree.body, False))


def _imported_modules(module: str, node: ast.Import | ast.ImportFrom) -> set[str]:
    """The project modules an import statement loads (a package's ``__init__`` included)."""
    if isinstance(node, ast.Import):
        targets = [alias.name for alias in node.names]
    else:
        if node.level:
            package = module.split(".")
            is_package = MODULES[module].name == "__init__.py"
            package = package[: len(package) - node.level + (1 if is_package else 0)]
            base = ".".join([*package, node.module] if node.module else package)
        else:
            base = node.module or ""
        # ``from package import submodule`` loads the submodule too.
        targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
    # The packages holding ``module`` are loaded before it: importing them again is no cycle.
    own_packages = {
        ".".join(module.split(".")[:length]) for length in range(1, module.count(".") + 2)
    }
    loaded = set()
    for target in targets:
        parts = target.split(".")
        for length in range(1, len(parts) + 1):
            name = ".".join(parts[:length])
            if name in MODULES and name not in own_packages:
                loaded.add(name)
    return loaded


def _import_graph() -> dict[str, set[str]]:
    graph = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[module] = set().union(
            *(_imported_modules(module, node) for node in _imports(tree, in_functions=False))
        )
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in graph[node]:
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def test_the_graph_sees_the_imports_it_should():
    graph = _import_graph()
    assert {"schools.directory", "schools.geo"} <= graph["schools.models"]
    assert "events.views" in graph["events.models.indexes"]
    assert "events.models" in graph["events.sections"]
    assert "events.models.calendar_pages" in graph["events.models"]
    # TYPE_CHECKING imports are not run.
    assert "schools.models" not in graph["schools.directory"]


def test_no_import_cycles():
    assert _cycles(_import_graph()) == []


def test_models_modules_import_their_own_app_at_module_top():
    """A function-level import of the app's own helper from a models module hides a cycle."""
    hidden = []
    for module, path in MODULES.items():
        if not _is_models_module(module):
            continue
        app = module.split(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _imports(tree, in_functions=True):
            own_app = {
                name for name in _imported_modules(module, node) if name.split(".")[0] == app
            }
            if own_app:
                hidden.append(f"{module}:{node.lineno} imports {', '.join(sorted(own_app))}")
    assert hidden == []
