"""The quality package is pure Python: it never imports Django."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "lamtheo" / "quality"


def test_no_module_of_the_package_imports_django() -> None:
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(n.split(".")[0] == "django" for n in names), path


def test_importing_the_package_does_not_load_django() -> None:
    code = (
        "import sys; import lamtheo.quality, lamtheo.quality.cli, lamtheo.quality.copies; "
        "import lamtheo.quality.bench; "
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django'"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
