"""Fixtures shared by the tests of several packages: a simulated GPU and a small
Dask cluster. Being here, this file also puts ``tests/`` on ``sys.path``, so any
test module can ``from _helpers import ...``."""

import pytest


@pytest.fixture
def fake_gpu(monkeypatch):
    """Make ``device="auto"`` resolve to CUDA in this process (not in workers)."""
    import autodl.utils._device as device_module

    monkeypatch.setattr(
        device_module, "resolve_device", lambda d: "cuda" if d == "auto" else d
    )


@pytest.fixture(scope="module")
def dask_client():
    """A ``LocalCluster`` of 2 worker processes, one thread each, per test module."""
    distributed = pytest.importorskip(
        "distributed", reason="needs the 'dask' extra: pip install 'autodl[dask]'"
    )
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        worker_dashboard_address=None,
    )
    client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()
