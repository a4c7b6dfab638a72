"""Shared bits of the benchmark scripts: data location, the machine line, tables."""

import os
import platform
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA_DIR = REPO.parent / "shared" / "datasets"
META_DATA_DIR = DEFAULT_DATA_DIR / "meta"
RESULTS = REPO / "benchmarks" / "results"


def machine_line():
    """One line that says where a table was measured."""
    import sklearn
    import torch

    import autodl

    cpu = platform.processor() or platform.machine()
    return (
        f"Measured on {platform.system()} {cpu}, {os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]}, autodl {autodl.__version__}, "
        f"scikit-learn {sklearn.__version__}, torch {torch.__version__}, "
        f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}."
    )


def declared_tasks(folder):
    """Name -> ``"binary"``, ``"multiclass"`` or ``"regression"``, as the suite's
    own table declares it (``SUITE.md`` in the meta suite, ``README.md`` in the
    dev suite; the first word of the task column); empty without either file.

    An ordinal target with a few integer values (1028_SWD, 1029_LEV) is declared
    regression and scored by R2: guessing the task from the values would make it
    a multiclass problem.
    """
    tasks = {}
    for name in ("SUITE.md", "README.md"):
        path = Path(folder) / name
        if not path.exists():
            continue
        for line in path.read_text().splitlines():
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            kind = cells[1].split()[0].rstrip(",") if len(cells) > 1 else ""
            if kind in ("binary", "multiclass", "regression"):
                tasks.setdefault(cells[0], kind)
    return tasks


def markdown_table(frame, floatfmt=".4f"):
    """A pandas DataFrame as a GitHub markdown table (no tabulate needed)."""
    cols = list(frame.columns)

    def cell(value):
        if isinstance(value, float):
            return "" if value != value else format(value, floatfmt)
        return str(value)

    lines = [
        "| " + " | ".join(map(str, cols)) + " |",
        "| " + " | ".join("---" for _ in cols) + " |",
    ]
    for _, row in frame.iterrows():
        lines.append("| " + " | ".join(cell(row[c]) for c in cols) + " |")
    return "\n".join(lines)


def write_result(name, text):
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / name
    path.write_text(text + "\n")
    return path
