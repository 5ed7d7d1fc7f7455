"""The safety package is pure: standard library (and small pinned libraries) only, no Flask,
SQLAlchemy or other community modules."""
import ast
from pathlib import Path

import community.safety

SAFETY_DIR = Path(community.safety.__file__).parent
FORBIDDEN_ROOTS = {"flask", "flask_sqlalchemy", "flask_login", "flask_wtf", "flask_socketio", "sqlalchemy", "werkzeug"}


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: inside the package
                names.append("community.safety." + (node.module or ""))
            else:
                names.append(node.module or "")
    return names


def offending(names: list[str]) -> list[str]:
    bad = []
    for name in names:
        root = name.split(".")[0]
        if root in FORBIDDEN_ROOTS:
            bad.append(name)
        elif root == "community" and not (name == "community.safety" or name.startswith("community.safety.")):
            bad.append(name)
    return bad


def test_sources_exist():
    sources = sorted(p.name for p in SAFETY_DIR.glob("*.py"))
    assert {"__init__.py", "detector.py", "lexicon.py", "normalize.py"} <= set(sources)


def test_safety_modules_import_nothing_from_the_app():
    problems = {p.name: offending(imported_modules(p)) for p in SAFETY_DIR.glob("*.py")}
    problems = {k: v for k, v in problems.items() if v}
    assert not problems, problems


def test_the_check_itself_catches_offenders():
    assert offending(["flask", "sqlalchemy.orm", "community.models", "community", "werkzeug.utils"]) == [
        "flask", "sqlalchemy.orm", "community.models", "community", "werkzeug.utils"]
    assert offending(["re", "tomllib", "community.safety.lexicon", "unicodedata"]) == []
