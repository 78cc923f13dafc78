"""The rooms of ui/: every module sits in one, and imports run one way (see ui/__init__.py).

ALLOWED is the one list of edges between rooms; each room's docstring repeats its own line
("May import: ..."). The engine, core/, imports neither ui nor Streamlit.
"""

from __future__ import annotations

import ast
import re

from conftest import ROOT

#: room -> the rooms it may import (imports within a room are always allowed)
ALLOWED = {
    "text": set(),
    "caches": set(),
    "drawing": {"text"},
    "story": {"drawing", "caches", "text"},
    "runs": {"story", "drawing", "caches", "text"},
    "page": {"runs", "story", "drawing", "caches", "text"},
}
#: the only rooms that may import Streamlit
STREAMLIT_ROOMS = {"runs", "page"}
UI = ROOT / "ui"


def module_name(path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def imported(path) -> list[tuple[int, str]]:
    """``(line, absolute module)`` for every import in ``path``, relative ones resolved;
    ``from ui import name`` yields ``ui.name``."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            if module in ("ui", "core"):  # the room is the name imported
                found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, module))
    return found


def room_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "ui" and len(parts) > 1 else None


def ui_files():
    return sorted(UI.rglob("*.py"))


def test_every_module_of_ui_sits_in_a_room():
    loose = [p.name for p in UI.glob("*.py") if p.name != "__init__.py"]
    assert not loose, f"modules of ui/ outside every room: {loose}"
    rooms = {p.name for p in UI.iterdir() if (p / "__init__.py").exists()}
    assert rooms == set(ALLOWED), rooms ^ set(ALLOWED)


def test_imports_run_one_way():
    wrong = []
    for path in ui_files():
        here = room_of(module_name(path))
        for line, module in imported(path):
            there = room_of(module)
            if here is None and module.startswith("ui.") and there in ALLOWED:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module} (ui/__init__.py)")
            elif there in ALLOWED and here in ALLOWED and there != here:
                if there not in ALLOWED[here]:
                    wrong.append(f"{path.relative_to(ROOT)}:{line}: {here} imports {module}")
    assert not wrong, "imports against the grain:\n" + "\n".join(wrong)


def test_only_runs_and_page_import_streamlit():
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in ui_files()
        if room_of(module_name(path)) not in STREAMLIT_ROOMS
        for line, module in imported(path)
        if module.split(".")[0] == "streamlit"
    ]
    assert not wrong, "\n".join(wrong)


def test_each_room_says_what_it_may_import():
    for room, allowed in ALLOWED.items():
        doc = ast.get_docstring(ast.parse((UI / room / "__init__.py").read_text())) or ""
        line = re.search(r"May import: ([^(]*)\(", doc.replace("\n", " "))
        assert line, f"ui/{room}/__init__.py does not say what it may import"
        said = set(re.findall(r"ui\.(\w+)", line.group(1)))
        assert said == allowed, (room, said, allowed)


def test_core_imports_neither_ui_nor_streamlit():
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in sorted((ROOT / "core").rglob("*.py"))
        for line, module in imported(path)
        if module.split(".")[0] in ("ui", "streamlit")
    ]
    assert {module_name(p) for p in (ROOT / "core").rglob("*.py")} >= {"core", "core.export"}
    assert not wrong, "\n".join(wrong)
