"""Choose the nets' defaults: candidate configurations on the meta suite.

Every candidate is an ``MLPClassifier`` / ``MLPRegressor`` parameter set fitted on
the meta datasets up to 20,000 rows, on a split that the reporting benchmark
(``nets.py``, seed 0) does not use (``--seed 1`` by default), so the defaults are
not tuned on the figures they are reported with. Raw columns, no scaler in front
(the net scales its own input). Scores as in ``nets.py``; prints per-dataset
scores and fit seconds, then mean rank, mean score gap to the best candidate and
mean fit seconds per candidate, with the load average.

    python benchmarks/net_defaults.py                        # every candidate
    python benchmarks/net_defaults.py --candidates recipe,recipe_periodic
"""

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from nets import MAX_ROWS, _load, score_of, task_of  # noqa: E402

RECIPE = {
    "hidden_layer_sizes": (256, 256),
    "activation": "pselu",
    "feature_scale": True,
    "numeric_embedding": "piecewise_linear",
    "embedding_dim": 8,
    "n_bins": 16,
    "batch_size": 256,
    "lr": 2e-3,
    "betas": (0.9, 0.95),
    "lr_schedule": "flat_anneal",
    "max_epochs": 60,
    "patience": 20,
    "label_smoothing": 0.1,  # classifiers only
}
CANDIDATES = {
    "old_defaults": {"input_scaling": None},
    "scaled_only": {},
    "recipe": RECIPE,
    "recipe_no_embedding": {**RECIPE, "numeric_embedding": None},
    "recipe_periodic": {
        **RECIPE,
        "numeric_embedding": "periodic",
        "n_frequencies": 16,
        "frequency_scale": 0.1,
    },
    "recipe_ensemble4": {**RECIPE, "n_ensemble": 4},
    "recipe_relu": {**RECIPE, "activation": "relu"},
    "recipe_100ep": {**RECIPE, "max_epochs": 100, "patience": 30},
}
# round 2: around the best of round 1 (recipe_100ep); its best, r100_lr4e-3, is
# what MLPClassifier / MLPRegressor use by default
R100 = CANDIDATES["recipe_100ep"]
CANDIDATES.update(
    {
        "r100_relu": {**R100, "activation": "relu"},
        "r200": {**R100, "max_epochs": 200, "patience": 50},
        "r100_3x256": {**R100, "hidden_layer_sizes": (256, 256, 256)},
        "r100_dropout": {**R100, "dropout": 0.15},
        "r100_lr1e-3": {**R100, "lr": 1e-3},
        "r100_lr4e-3": {**R100, "lr": 4e-3},
        "r100_bs128": {**R100, "batch_size": 128},
        "r100_ensemble4": {**R100, "n_ensemble": 4},
    }
)
# round 3: around the defaults (r100_lr4e-3, i.e. no parameter given), one lever
# each: a higher learning rate (the trend of round 2), TabM's ensembling, a longer
# run, a deeper net
CANDIDATES.update(
    {
        "defaults": {},
        "d_lr8e-3": {"lr": 8e-3},
        "d_ensemble4": {"n_ensemble": 4},
        "d_200ep": {"max_epochs": 200, "patience": 50},
        "d_3x256": {"hidden_layer_sizes": (256, 256, 256)},
    }
)
# round 4, on split seed 2 (no earlier round saw it): the longer run again (round 3
# ranked it first on classification, last but two on regression), and RealMLP's
# periodic embedding at its scale (the nets lose most to RealMLP on regression)
CANDIDATES.update(
    {
        "d_periodic": {
            "numeric_embedding": "periodic",
            "n_frequencies": 16,
            "frequency_scale": 0.1,
        },
    }
)
# round 5, on split seed 3 (no earlier round saw it): the rest of RealMLP-TD's
# recipe, as prototypes in this script (not levers of the net): dropout 0.15 and
# decoupled weight decay 0.02, both annealed on the flat-then-anneal schedule, and
# RealMLP's learning-rate factors per parameter group (the feature scale x6; the
# embedding, the biases and the activations' parameters x0.1)
REALMLP_LR_FACTORS = {
    "feature_scale": 6.0,
    "embedding.*": 0.1,
    "*.bias": 0.1,
    "hidden.*.1.weight": 0.1,  # the parametric activations
}
CANDIDATES.update(
    {
        "d_dropout_anneal": {"dropout": 0.15, "_anneal": True},
        "d_wd_anneal": {"optimizer": "adamw", "weight_decay": 0.02, "_anneal": True},
        "d_dropout_wd_anneal": {
            "dropout": 0.15,
            "optimizer": "adamw",
            "weight_decay": 0.02,
            "_anneal": True,
        },
        "d_lr_factors": {"_lr_factors": REALMLP_LR_FACTORS},
        "d_scale_lr6": {"_lr_factors": {"feature_scale": 6.0}},
    }
)
# round 6, on split seed 4: the anneal starting as soon as the validation loss
# stalls in the flat phase (a prototype here; most early-stopped runs keep their
# best epoch from before the stall, so it changes little), and the longer run again
CANDIDATES.update(
    {
        "d_stall_sym": {"lr_schedule": None, "_stall": ("sym", 10)},
        "d_stall_quarter": {"lr_schedule": None, "_stall": ("quarter", 10)},
    }
)
# round 7, on split seed 5: the longer run (first in rounds 3, 4 and 6, at 1.5x
# the time) at a cost the speed target allows: fewer epochs, or narrower layers
CANDIDATES.update(
    {
        "d_150ep": {"max_epochs": 150, "patience": 40},
        "d_200ep_192": {
            "max_epochs": 200,
            "patience": 50,
            "hidden_layer_sizes": (192, 192),
        },
    }
)
# round 8, on split seed 6, with Adam's fused kernel (about 10% off every fit):
# round 7's two again, against the longer run and the defaults
# round 9, on split seed 7: the piecewise-linear embedding's bins (16 by default;
# rtdl_num_embeddings.compute_bins defaults to 48). The nets lose most to the boosted
# trees on thresholds in a long-tailed column (allhypo, ann_thyroid: TSH)
CANDIDATES.update({"d_bins32": {"n_bins": 32}, "d_bins48": {"n_bins": 48}})
# round 10, on split seed 8: the bins where a tree splits the target (Gorishniy et
# al. 2022's target-aware bins), at 16 and at 48 leaves at most
CANDIDATES.update(
    {"d_tree16": {"binning": "tree"}, "d_tree48": {"binning": "tree", "n_bins": 48}}
)
# round 11, on split seed 9: the quantile bins with the tree's thresholds added
# (rounds 11 and 12 and `net_defaults_round10_both.md` ran every threshold; round
# 13 and its `_strict` files only those that leave half a quantile bin's rows on
# either side, the rule `binning="both"` ships with)
CANDIDATES.update({"d_both": {"binning": "both"}})
# round 14, on split seeds 11 (both) and 12, 13 (EMA): the weights averaged over the
# last quarter of the run in place of the best epoch's (EMA is now the regressor's
# default: "defaults" against "d_ema" is the same net for the regressor)
CANDIDATES.update(
    {"d_swa": {"weight_averaging": "swa"}, "d_ema": {"weight_averaging": "ema"}}
)
# round 15, on split seeds 14 to 16, classification sets only: label smoothing
# (RealMLP's 0.1 is the classifier's default; no round had measured it)
CANDIDATES.update(
    {"d_ls0": {"label_smoothing": 0.0}, "d_ls02": {"label_smoothing": 0.2}}
)
# round 16, on split seeds 17 to 19, classification sets only: the epoch restored
# chosen by the validation error (RealMLP-TD's rule: the last epoch of the lowest
# ``class_error``) in place of the lowest (label-smoothed) validation loss; ties
# between epochs of equal error go to the latest ("last") or the lowest loss
CANDIDATES.update(
    {"d_sel_err_last": {"_select": "last"}, "d_sel_err_loss": {"_select": "loss"}}
)
# round 17, on split seeds 20 to 24, regression sets only: the two parts of
# RealMLP-TD's regressor the defaults had not measured: Mish in place of SELU (as a
# parametric activation, ``pmish``) and predictions clamped to the training targets'
# range (pytabkit's ``clamp_output``)
CANDIDATES.update(
    {
        "d_pmish": {"activation": "pmish"},
        "d_clamp": {"_clamp": True},
        "d_pmish_clamp": {"activation": "pmish", "_clamp": True},
    }
)
# round 18, on split seeds 25 to 27: the rows held out to pick the epoch. On the
# smallest sets 10 % is a few dozen rows (movement_libras: 27 rows, 15 classes),
# where the nets trail RealMLP-TD most: training on every row for the whole
# flat-then-anneal run (no epoch picked), or RealMLP-TD's 20 % held out
CANDIDATES.update(
    {
        "d_all_rows": {"validation_fraction": 0.0, "early_stopping": False},
        "d_val20": {"validation_fraction": 0.2},
    }
)
# round 19, on split seeds 28 to 30: the learning rate annealed from the first step
# (cosine) in place of flat for half the run. On satimage the defaults restore epoch
# 24 of 54, a flat-phase epoch at the full rate (the validation loss rises from there
# while the training loss falls); the every-row run of round 18, annealed to its end,
# scores +0.03 there
CANDIDATES.update({"d_cosine": {"lr_schedule": "cosine"}})
# round 20, on split seeds 31 to 33: four cosine cycles (``"cosine_restarts"``, SGDR),
# near RealMLP-TD's ``coslog4``: every cycle ends at a low rate, so the epoch picked
# on the held-out rows can be an annealed one (round 19: the flat phase's best epoch
# is not)
CANDIDATES.update({"d_restarts": {"lr_schedule": "cosine_restarts"}})
# round 21, on split seeds 34 to 36: the epoch picked on the 10 % held out, then the
# net trained again on every row for that many epochs, its schedule (flat, then
# annealed) fitted to them: the rows and the annealed end of round 18's every-row run,
# with the length early stopping chose (the boosted models' refit with their folds'
# rounds, docs/automl.md); two fits
CANDIDATES.update({"d_refit_epochs": {"_refit_epochs": True}})
# round 22, on split seeds 37 to 39: two nets, each with its own seed (its own 10 %
# held out, its own initialisation and batches), their predictions averaged: every
# row trains one member at least, and the members' errors partly cancel (AutoGluon's
# and pytabkit's bagging, at two members); two fits
CANDIDATES.update({"d_bag2": {"n_seeds": 2}})
# round 23, on split seeds 40 to 42: round 22's two nets at half the width (two
# layers of 128), to see whether the gain holds at a cost near one default fit; the
# single net of that width alone, to tell the width from the averaging
CANDIDATES.update(
    {
        "d_bag2_128": {"n_seeds": 2, "hidden_layer_sizes": (128, 128)},
        "d_128": {"hidden_layer_sizes": (128, 128)},
    }
)
# round 24, on split seeds 43 to 45: how many members the 128-unit bag wants (three
# against two), for the choice of a default
CANDIDATES.update({"d_bag3_128": {"n_seeds": 3, "hidden_layer_sizes": (128, 128)}})
# Rounds 22-24 ran a prototype of ``n_seeds`` whose added nets were seeded 1 and 2;
# ``n_seeds`` draws their seeds from ``random_state``, so a re-run differs in them.
# Round 22's two nets became the default (n_seeds=2); every candidate here is one
# net unless it sets n_seeds (``fit_score``), so "defaults" is one default net.
CLASSIFIER_ONLY = ("label_smoothing", "_select")
REGRESSOR_ONLY = ("_clamp",)


def _stall_anneal(length, stall):
    """A skorch callback: flat then a half-cosine anneal, the anneal starting at
    half the run or as soon as the validation loss has not improved for ``stall``
    epochs; training ends when the anneal does."""
    import math

    from skorch.callbacks import Callback

    class StallAnneal(Callback):
        def on_train_begin(self, net, X=None, **kwargs):
            rows = len(X["X"] if isinstance(X, dict) else X)
            self.per_epoch = math.ceil(rows * 0.9 / net.batch_size)
            self.total = self.per_epoch * net.max_epochs
            self.start, self.end = self.total // 2, self.total
            self.step, self.best, self.since = 0, math.inf, 0
            self.base = [g["lr"] for g in net.optimizer_.param_groups]

        def on_batch_begin(self, net, training=False, **kwargs):
            if not training:
                return
            if self.step <= self.start:
                f = 1.0
            else:
                p = min(1.0, (self.step - self.start) / max(1, self.end - self.start))
                f = 0.5 * (1 + math.cos(math.pi * p))
            for g, lr in zip(net.optimizer_.param_groups, self.base, strict=True):
                g["lr"] = lr * f
            self.step += 1

        def on_epoch_end(self, net, **kwargs):
            loss = net.history[-1, "valid_loss"]
            if loss < self.best:
                self.best, self.since = loss, 0
            else:
                self.since += 1
            if self.step < self.start and self.since >= stall:
                self.start = self.step
                span = self.step if length == "sym" else self.total // 4
                self.end = self.step + max(span, 5 * self.per_epoch)
            if self.step >= self.end:
                raise KeyboardInterrupt

    return StallAnneal()


def _select_by_error(ties):
    """A skorch callback: at the end of training, load the weights of the epoch of
    the lowest validation error (``1 - valid_acc``); among epochs of equal error,
    the latest (``ties="last"``) or the one of the lowest ``valid_loss``."""
    from skorch.callbacks import Callback

    from autodl.neural._callbacks import _cpu_state

    class SelectByError(Callback):
        def on_train_begin(self, net, **kwargs):
            self.best, self.state = None, None

        def on_epoch_end(self, net, **kwargs):
            row = net.history[-1]
            if "valid_acc" not in row:
                return
            key = (-row["valid_acc"], 0.0 if ties == "last" else row["valid_loss"])
            if self.best is None or key <= self.best:
                self.best, self.state = key, _cpu_state(net.module_)

        def on_train_end(self, net, **kwargs):
            if self.state is not None:
                net.module_.load_state_dict(self.state)

    return SelectByError()


def _annealed_regularisers():
    """A skorch callback: dropout and weight decay follow the flat-then-anneal
    factor of the learning rate (RealMLP's ``flat_cos`` schedules)."""
    import math

    import torch
    from skorch.callbacks import Callback

    from autodl.neural._callbacks import FlatAnneal

    class AnnealRegularisers(Callback):
        def on_train_begin(self, net, X=None, **kwargs):
            rows = len(X["X"] if isinstance(X, dict) else X)
            steps = math.ceil(rows / net.batch_size) * net.max_epochs
            self.factor, self.step = FlatAnneal(steps), 0
            self.dropout = [
                (m, m.p)
                for m in net.module_.modules()
                if isinstance(m, torch.nn.Dropout)
            ]
            self.decay = [g["weight_decay"] for g in net.optimizer_.param_groups]

        def on_batch_begin(self, net, training=False, **kwargs):
            if not training:
                return
            factor, self.step = self.factor(self.step), self.step + 1
            for module, p in self.dropout:
                module.p = p * factor
            groups = net.optimizer_.param_groups
            for group, decay in zip(groups, self.decay, strict=True):
                group["weight_decay"] = decay * factor

    return AnnealRegularisers()


def _with_lr_factors(cls, factors):
    """``cls`` training each parameter group (fnmatch patterns, first match wins)
    at ``lr`` times its factor (skorch's ``optimizer__param_groups``)."""

    class Grouped(cls):
        def _make_optimizer(self):
            optimizer, kwargs = super()._make_optimizer()
            lr = float(self.lr)
            groups = [(name, {"lr": lr * f}) for name, f in factors.items()]
            return optimizer, {**kwargs, "param_groups": groups}

    Grouped.__name__ = cls.__name__
    return Grouped


class _Clamped:
    """``net``'s predictions clipped to the range of the targets it was fitted on."""

    def __init__(self, net, y):
        self.net, self.low, self.high = net, float(y.min()), float(y.max())

    def predict(self, X):
        import numpy as np

        return np.clip(self.net.predict(X), self.low, self.high)


def fit_score(X, y, task, params, seed):
    from sklearn.model_selection import train_test_split

    from autodl.neural import MLPClassifier, MLPRegressor

    classify = task != "regression"
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, random_state=seed, stratify=y if classify else None
    )
    # one net unless the candidate says otherwise (rounds 1-21 measured one net)
    params = {"n_seeds": 1, **params, "random_state": 0, "n_threads": 1}
    params["device"] = "cpu"
    if not classify:
        params = {k: v for k, v in params.items() if k not in CLASSIFIER_ONLY}
    else:
        params = {k: v for k, v in params.items() if k not in REGRESSOR_ONLY}
    clamp = params.pop("_clamp", False)
    cls = MLPClassifier if classify else MLPRegressor
    if params.pop("_anneal", False):
        params["callbacks"] = [_annealed_regularisers()]
    stall = params.pop("_stall", None)
    if stall:
        params["callbacks"] = [_stall_anneal(*stall)]
    select = params.pop("_select", None)
    if select:
        params["callbacks"] = [_select_by_error(select)]
    factors = params.pop("_lr_factors", None)
    if factors:
        cls = _with_lr_factors(cls, factors)
    refit = params.pop("_refit_epochs", False)
    net = cls(**params)
    start = time.perf_counter()
    net.fit(X_train, y_train)
    if refit:  # again on every row, the whole (shorter) run to the epoch picked
        best = [e["epoch"] for e in net.net_.history if e.get("valid_loss_best")]
        epochs = best[-1] if best else net.max_epochs
        params.update(validation_fraction=0.0, early_stopping=False, max_epochs=epochs)
        net = cls(**params).fit(X_train, y_train)
    seconds = time.perf_counter() - start
    if clamp:
        net = _Clamped(net, y_train)
    return score_of(net, task, X_test, y_test), seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", help="folder of <name>.csv.gz (default: meta)")
    parser.add_argument("--datasets", help="comma-separated names (default: all)")
    parser.add_argument("--candidates", default=",".join(CANDIDATES))
    parser.add_argument("--seed", type=int, default=1, help="split seed")
    parser.add_argument("--out", default="net_defaults.md", help="result file name")
    args = parser.parse_args()

    import pandas as pd
    import torch
    from _common import META_DATA_DIR, machine_line, markdown_table, write_result

    torch.set_num_threads(1)
    folder = Path(args.data_dir) if args.data_dir else META_DATA_DIR
    files = sorted(folder.glob("*.csv.gz"))
    if args.datasets:
        files = [
            f
            for f in files
            if f.name.removesuffix(".csv.gz") in args.datasets.split(",")
        ]
    names = args.candidates.split(",")
    unknown = set(names) - set(CANDIDATES)
    if unknown:
        sys.exit(
            f"unknown candidates {sorted(unknown)}; use some of {list(CANDIDATES)}"
        )
    rows = []
    for path in files:
        X, y = _load(path)
        if len(y) > MAX_ROWS:
            continue
        task = task_of(path, y)
        dataset = path.name.removesuffix(".csv.gz")
        for name in names:
            try:
                score, seconds = fit_score(X, y, task, CANDIDATES[name], args.seed)
            except Exception as exc:  # a failing candidate is a finding, not a crash
                print(f"{dataset:28s} {name:22s} failed: {exc!r}"[:200], flush=True)
                continue
            rows.append(
                {
                    "dataset": dataset,
                    "task": "regression" if task == "regression" else "classification",
                    "candidate": name,
                    "score": score,
                    "fit_s": seconds,
                }
            )
            print(f"{dataset:28s} {name:22s} {score:.4f} {seconds:7.1f}s", flush=True)
    frame = pd.DataFrame(rows)
    scores = frame.pivot(index="dataset", columns="candidate", values="score")
    seconds = frame.pivot(index="dataset", columns="candidate", values="fit_s")
    gap = scores.sub(scores.max(axis=1), axis=0)
    ranks = scores.rank(axis=1, ascending=False)
    kind = frame.groupby("dataset")["task"].first().reindex(scores.index)
    summary = pd.DataFrame(
        {
            "candidate": scores.columns,
            "mean rank": ranks.mean().round(2).to_numpy(),
            # different defaults per task, where that measurably helps
            "classification": ranks[kind == "classification"]
            .mean()
            .round(2)
            .to_numpy(),
            "regression": ranks[kind == "regression"].mean().round(2).to_numpy(),
            "mean gap to best": gap.mean().round(4).to_numpy(),
            "mean fit s": seconds.mean().round(1).to_numpy(),
        }
    ).sort_values("mean rank")
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    text = "\n\n".join(
        [
            f"# Net default candidates on the meta suite (split seed {args.seed})",
            markdown_table(scores.round(4).reset_index()),
            markdown_table(summary),
            f"Load average at the end (1/5/15 min): {load}. " + machine_line(),
        ]
    )
    print(text)
    print(f"wrote {write_result(args.out, text)}")


if __name__ == "__main__":
    main()
