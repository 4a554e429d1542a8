"""Rules for the package as a whole."""

import ast
from pathlib import Path

import selfreg.codes


def test_the_package_knows_nothing_of_flask():
    package = Path(selfreg.codes.__file__).parent
    for path in package.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(n.split(".")[0].lower().startswith("flask") for n in names), path
