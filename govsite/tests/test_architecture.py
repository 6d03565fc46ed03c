"""The house's layers (docs/architecture.md): apps form a DAG, shared services sit at the bottom,
and no import hides inside a function to dodge a cycle.

Each unit is a package or module directly under ``govsite/`` (an app such as ``mailbox``, or a
shared home such as ``clients.py``). A unit may import only units of a lower layer; a new
unit must be given a layer here before it can be imported by anyone. Tests, the suite's own
helpers (``govsite/testing``) and migrations are not counted: a test may reach across the house
to set up what it proves.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Bottom first. A unit may import the units of every layer below its own, never its own layer
# or above: that makes a cycle impossible by construction.
LAYERS = [
    # Plain helpers that the shared services use too: the office's days as moments, the admin
    # menu's items, which requests are the admin's.
    {"days", "menus", "adminpaths"},
    # Shared services: no domain knowledge, no imports of any app.
    {
        "stamps",
        "clients",
        "textfiles",
        "wordfiles",
        "exports",
        "notices",
        "lifecycles",
        "settings",
        "charts",
        "phones",
    },
    # Who is who: sections, roles and the role predicates; the image rule (第十七条), which an
    # article's 题图 is checked against (issue 17).
    {"sections", "images"},
    # The site tree, background jobs.
    {"columns", "jobs"},
    # What reads the tree: screening, search, static publishing, security, feeds and crawlers;
    # the public site's 无障碍 toolbar and its help page.
    {"screening", "search", "publishing", "security", "feeds", "accessibility"},
    # Accounts (built on the security policy), the take-offline requests and the 专栏 of
    # 热点专题 (applied for and approved like a request, opened as a sub-column).
    {"accounts", "changes", "topics"},
    # The review chain and the mailbox.
    {"workflow", "mailbox"},
    # 政务公开 and 办事服务: documents with their disclosure metadata (索引号, 主题分类, 有效性 …)
    # and structured service guides (办事指南) in 业务指南, both screened by the review chain;
    # 机构概况: leader cards (领导简介) and the office's functions (机构职能).
    {"disclosure", "services", "organisation"},
    # The surveys: content that goes live through the review chain (its wording included).
    {"surveys"},
    # 信息报送: sections report to 综合科, which adopts through the review chain.
    {"reporting"},
    # 监督考核: freshness of the columns and the 双百考核 scores, read from everything below.
    {"assessment"},
    # What watches everything: the audit log, backups, demo data, the dashboard's work lists;
    # the staff guides (帮助), which know every role.
    {"audit", "backup", "demo", "dashboard", "guides"},
    # The project's own wiring.
    {"urls", "wsgi", "conftest"},
]
LAYER_OF = {unit: level for level, units in enumerate(LAYERS) for unit in units}

# A function-level import of another unit is allowed only with this reason on its line or the
# line above, for imports that must wait until the app registry is ready.
START_UP_ORDER = "start-up order"


def units():
    for path in sorted(ROOT.iterdir()):
        if path.name.startswith(("_", ".")) or path.name in {
            "static",
            "templates",
            "locale",
            "tests",
            "testing",
        }:
            continue
        if path.is_dir() and (path / "__init__.py").exists() or path.suffix == ".py":
            yield path.stem


def source_files(unit):
    path = ROOT / unit
    files = [path.with_suffix(".py")] if not path.is_dir() else sorted(path.rglob("*.py"))
    for file in files:
        parts = file.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield file


def imported_units(file, unit):
    """(unit imported, line, inside a function, the source lines around it) for each import."""
    tree = ast.parse(file.read_text(encoding="utf-8"))
    package = ".".join(("govsite", *file.relative_to(ROOT).with_suffix("").parts[:-1]))

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.Import):
                names = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")[: len(package.split(".")) - child.level + 1]
                    names = [".".join([*base, child.module] if child.module else base)]
                else:
                    names = [child.module or ""]
                # ``from govsite import clients``: the unit is the imported name.
                if names == ["govsite"]:
                    names = [f"govsite.{alias.name}" for alias in child.names]
            else:
                yield from visit(child, nested)
                continue
            for name in names:
                parts = name.split(".")
                if parts[0] == "govsite" and len(parts) > 1 and parts[1] != unit:
                    yield parts[1], child.lineno, in_function
            yield from visit(child, nested)

    yield from visit(tree, False)


def edges():
    for unit in units():
        for file in source_files(unit):
            lines = file.read_text(encoding="utf-8").splitlines()
            for target, line, in_function in imported_units(file, unit):
                context = "\n".join(lines[max(line - 2, 0) : line])
                yield unit, target, f"{file.relative_to(ROOT.parent)}:{line}", in_function, context


def test_every_unit_has_a_layer():
    missing = sorted(set(units()) - set(LAYER_OF))
    assert not missing, f"give these a layer in LAYERS and docs/architecture.md: {missing}"


def test_units_import_only_lower_layers():
    wrong = [
        f"{where}: {unit} (layer {LAYER_OF[unit]}) imports {target} (layer {LAYER_OF[target]})"
        for unit, target, where, _, _ in edges()
        if unit in LAYER_OF and target in LAYER_OF and LAYER_OF[target] >= LAYER_OF[unit]
    ]
    assert not wrong, "\n".join(wrong)


def test_no_import_hides_in_a_function():
    hidden = [
        f"{where}: {unit} imports {target} inside a function"
        for unit, target, where, in_function, context in edges()
        if in_function and START_UP_ORDER not in context
    ]
    assert not hidden, "\n".join(hidden)


def test_the_apps_form_a_dag():
    """Independent of the layers: any cycle between two units, however long, is named."""
    graph = {}
    for unit, target, _, _, _ in edges():
        graph.setdefault(unit, set()).add(target)
    state, cycles = {}, []

    def walk(node, trail):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(" → ".join([*trail[trail.index(nxt) :], nxt]))
            elif nxt not in state:
                walk(nxt, [*trail, nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            walk(node, [node])
    assert not cycles, "\n".join(cycles)


@pytest.mark.parametrize(
    "source, expected",
    [
        ("from govsite.mailbox.models import Letter\n", [("mailbox", False)]),
        ("from govsite import clients\n", [("clients", False)]),
        ("def f():\n    from govsite.audit import retention\n", [("audit", True)]),
        ("from ..sections.rules import is_chief_of\n", [("sections", False)]),
        ("from .models import Notice\n", []),
    ],
)
def test_the_walk_sees_every_form_of_import(tmp_path, monkeypatch, source, expected):
    """The checks above are only as good as the walk: each form of import is seen."""
    package = tmp_path / "govsite" / "workflow"
    package.mkdir(parents=True)
    file = package / "example.py"
    file.write_text(source, encoding="utf-8")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path / "govsite")
    found = [(target, hidden) for target, _, hidden in imported_units(file, "workflow")]
    assert found == expected
