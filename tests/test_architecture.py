"""The shape of the code: three floors that import only downward, and no import cycle.

shell   cli/ and terminal/: the only modules that may import Rich or Typer
modes   modes/, the session loops, which get their screen passed in; and output.py, the
        documents for programs made of their results
core    everything else: decks, grading, scheduler, progress, exports
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import k8squiz

PACKAGE = Path(k8squiz.__file__).parent
SHELL = ("k8squiz.cli", "k8squiz.terminal", "k8squiz.__main__")
MODES = ("k8squiz.modes", "k8squiz.output")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every k8squiz module `path` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            base = node.module
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.split(".")[0] == "k8squiz"}


GRAPH = {_module_name(p): _imports(p) for p in PACKAGE.rglob("*.py")}
MODULES = set(GRAPH)


def _floor(module: str) -> int:
    if module.startswith(SHELL):
        return 2
    return 1 if module.startswith(MODES) else 0


def _edges(module: str) -> set[str]:
    """The modules `module` imports (a `from package import name` names a submodule)."""
    return {name for name in GRAPH[module] if name in MODULES and name != module}


def test_no_module_imports_a_floor_above_its_own() -> None:
    """The core imports neither the modes nor the shell; the modes do not import the shell."""
    upward = [
        f"{module} imports {target}"
        for module in sorted(MODULES)
        for target in sorted(_edges(module))
        if _floor(target) > _floor(module)
    ]
    assert upward == []


def test_the_import_graph_has_no_cycle() -> None:
    """No chain of imports, at the top of a module or inside a function, leads back to itself."""
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> list[str]:
        if module in path:
            return [" -> ".join((*path[path.index(module) :], module))]
        if module in done:
            return []
        cycles = [c for target in sorted(_edges(module)) for c in visit(target, (*path, module))]
        done.add(module)
        return cycles

    packages = {m for m in MODULES if (PACKAGE.parent / m.replace(".", "/")).is_dir()}
    cycles = [c for m in sorted(MODULES - packages) for c in visit(m, ())]
    assert cycles == []


@pytest.mark.parametrize(
    "modules",
    [
        pytest.param([m for m in sorted(MODULES) if _floor(m) == 0], id="core"),
        pytest.param([m for m in sorted(MODULES) if _floor(m) <= 1], id="core-and-modes"),
    ],
)
def test_importing_the_core_and_the_modes_loads_neither_rich_nor_typer(
    modules: list[str],
) -> None:
    """Importing every core and mode module, in a fresh Python, leaves Rich and Typer out."""
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'rich', 'typer', 'click'}))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert run.stdout.strip() == "[]"


@pytest.mark.parametrize("json_out", [[], ["--json"]], ids=["plain", "json"])
def test_a_quiz_from_a_pipe_loads_neither_rich_nor_yaml_nor_typer(json_out: list[str]) -> None:
    """Without a terminal, with the deck cache in place, a quiz needs no Rich, no PyYAML and
    no Typer (or Click): half of its start-up would be theirs."""
    code = (
        "import sys\n"
        "from k8squiz.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = {m.split('.')[0] for m in sys.modules}\n"
        "print(sorted(loaded & {'rich', 'yaml', 'typer', 'click'}), file=sys.stderr)"
    )
    argv = [sys.executable, "-c", code, "quiz", "-n", "1", "--seed", "1", *json_out]
    subprocess.run(argv, input="?\n", capture_output=True, text=True, check=True)  # the cache
    run = subprocess.run(argv, input="?\n", capture_output=True, text=True, check=True)
    assert run.stderr.strip().splitlines()[-1] == "[]"
