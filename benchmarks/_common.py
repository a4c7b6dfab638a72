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
