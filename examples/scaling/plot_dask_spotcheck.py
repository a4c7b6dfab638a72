"""
============================
Spot-check on a Dask cluster
============================

autodl fans its fits out through joblib, so a Dask cluster runs them with no change to
the code: put the fit inside ``joblib.parallel_backend("dask")``. Here a
``LocalCluster`` of two worker processes stands in for a real cluster (pass the
scheduler's address to ``Client`` for one you already run), and the leaderboard is
compared with a local run: with a fixed ``random_state`` it is the same.

Dask's worker processes re-import the main module, so every cell that computes sits
under ``if __name__ == "__main__":``; only imports and settings are module-level.
"""

# %%
# Models and views to spot-check on the demo data (bundled with scikit-learn).
import joblib
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression

from autodl import load_demo
from autodl.preprocessing import Rescaler
from autodl.spotcheck import SpotCheck

SETTINGS = {
    "models": [
        ("logistic", LogisticRegression(max_iter=2000)),
        ("forest", RandomForestClassifier(n_estimators=50, random_state=0)),
    ],
    "views": [("standardized", Rescaler()), ("minmax", Rescaler("minmax"))],
    "cv": 3,
    "random_state": 0,
}
COLUMNS = ["model", "view", "mean_score", "std_score"]

# %%
# The local run, in this process.
if __name__ == "__main__":
    X, y = load_demo()
    local = SpotCheck(n_jobs=1, **SETTINGS).fit(X, y)

# %%
# The same fit on the cluster: the (pair, fold) fits become Dask tasks. ``n_jobs`` is
# left at ``None``: inside the block the backend uses all its workers. The ``with``
# blocks close the client and the cluster when done.
if __name__ == "__main__":
    from dask.distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        print(client)
        with joblib.parallel_backend("dask"):
            remote = SpotCheck(**SETTINGS).fit(X, y)

# %%
# Same folds, same seeds: the same leaderboard (only ``fit_time`` differs).
if __name__ == "__main__":
    print(remote.leaderboard_[COLUMNS].to_string(index=False))
    same = local.leaderboard_[COLUMNS].equals(remote.leaderboard_[COLUMNS])
    print("same leaderboard as the local run:", same)
