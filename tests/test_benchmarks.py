"""The benchmark script is not run by the tests (timings are not assertions), but it must start:
`make bench` is how anyone checks the figures the manual gives (docs/developer/benchmarks.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_benchmark_script_starts_and_names_every_group() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    for group in ("startup", "check", "render", "preview", "export", "docx", "languages", "tabulate"):
        assert group in result.stdout
