"""Data loading: the embedded demo data and CSV / Parquet files."""

from autodl.datasets._loaders import DEMO_DATASETS, load_csv, load_demo

__all__ = ["DEMO_DATASETS", "load_csv", "load_demo"]
