"""Mutation check: does the test suite notice deliberate bugs?

Each mutation is a small deliberate bug: one exact piece of library source
(``old``, which must occur exactly once in ``file``) replaced by ``new``, and the
tests meant to guard it. For every mutation the script copies the repository
(``autodl/``, ``tests/``, ``docs/``, ``examples/`` and the top-level files) to a
temporary folder, applies the bug there, and runs the selected tests with
``PYTHONPATH`` pointing at the copy. A mutation is

- ``caught`` when the tests fail (or fail to import),
- ``survived`` when they pass: the tests do not guard what they are named for,
- ``stale`` when ``old`` no longer occurs exactly once (the code moved on: update
  the record),
- ``error`` when pytest found no test or could not run (fix the selection).

A baseline run of every selection on the unmutated copy comes first (``--no-baseline``
skips it): a selection that fails without a bug would make its mutation look caught.

Usage::

    python benchmarks/mutation_check.py                 # every mutation
    python benchmarks/mutation_check.py dropout minmax  # names containing either
    python benchmarks/mutation_check.py --list          # names and tests only

It takes several minutes (one pytest run per mutation). Add a record for every new
lever; the list includes one per lever of ``docs/toolbox.md``.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COPIED = ["autodl", "tests", "docs", "examples", "pyproject.toml", "README.md"]


@dataclass(frozen=True)
class Mutation:
    name: str
    file: str  # repository-relative
    old: str  # must occur exactly once in file
    new: str
    tests: tuple  # pytest arguments: paths, node ids, "-k" expressions


def M(name, file, old, new, *tests):
    return Mutation(name, file, old, new, tests)


EST = "autodl/neural/_estimators.py"
MOD = "autodl/neural/_modules.py"
NET = "autodl/neural/_net.py"
CB = "autodl/neural/_callbacks.py"
TR = "autodl/neural/_transfer.py"
T_MLP = "tests/neural/test_mlp.py"
T_MODULES = "tests/neural/test_modules.py"
T_NET = "tests/neural/test_net.py"

MUTATIONS = [
    # -- the seven of issue 19 -------------------------------------------------
    M(
        "dropout ignored (always 0)",
        EST,
        '"dropout": float(self.dropout),',
        '"dropout": 0.0,',
        T_MODULES,
    ),
    M(
        "weight_decay ignored (always 0)",
        EST,
        'kwargs = {"weight_decay": float(self.weight_decay)}',
        'kwargs = {"weight_decay": 0.0}',
        T_MLP,
        "-k",
        "optimizer or weight_decay",
    ),
    M(
        "autodl predict: ids out of line with the predictions",
        "autodl/cli/_predict.py",
        "out.insert(0, id_column, frame[id_column].to_numpy())",
        "out.insert(0, id_column, frame[id_column].sort_values().to_numpy())",
        "tests/cli/test_cli.py",
        "-k",
        "predict",
    ),
    M(
        "a sampler reverses the rows it is given at predict time",
        "autodl/pipeline.py",
        "from imblearn.pipeline import make_pipeline as _imblearn_make_pipeline\n",
        "from imblearn.pipeline import make_pipeline as _imblearn_make_pipeline\n"
        "_iter = Pipeline._iter\n\n\n"
        "class _Reverse:\n"
        "    def transform(self, X):\n"
        "        return X[::-1]\n\n\n"
        "Pipeline._iter = lambda self, with_final=True, filter_passthrough=True, "
        "filter_resample=True: (\n"
        "    (i, n, _Reverse() if filter_resample and hasattr(t, 'fit_resample') "
        "else t)\n"
        "    for i, n, t in _iter(self, with_final, filter_passthrough, False)\n"
        ")\n",
        "tests/test_pipeline.py",
    ),
    M(
        "Rescaler(method='minmax') standardises",
        "autodl/preprocessing/_rescaler.py",
        '"minmax": MinMaxScaler(feature_range=(0, 1)),',
        '"minmax": StandardScaler(),',
        "tests/preprocessing/test_rescaler.py",
    ),
    M(
        "AutoClassifier's time budget doubled",
        "autodl/automl/_auto.py",
        "budget = Budget(None if math.isinf(seconds) else seconds, self.max_trials)",
        "budget = Budget(None if math.isinf(seconds) else 2 * seconds, "
        "self.max_trials)",
        "tests/automl/test_budget.py",
    ),
    M(
        "ensemble selection starts from the worst member",
        "autodl/ensemble/_selection.py",
        "pick = int(np.nanargmax(scores))",
        "pick = int(np.nanargmin(scores) if round_ == 1 else np.nanargmax(scores))",
        "tests/ensemble/test_selection.py",
        "-k",
        "not greedy",
    ),
    # -- 1. data ---------------------------------------------------------------
    M(
        "Rescaler(method='minmax_sym') maps to [0, 1]",
        "autodl/preprocessing/_rescaler.py",
        '"minmax_sym": MinMaxScaler(feature_range=(-1, 1)),',
        '"minmax_sym": MinMaxScaler(feature_range=(0, 1)),',
        "tests/preprocessing/test_rescaler.py",
    ),
    M(
        "Rescaler(method='quantile_normal') gives a uniform output",
        "autodl/preprocessing/_rescaler.py",
        'output_distribution="normal", random_state=0',
        'output_distribution="uniform", random_state=0',
        "tests/preprocessing/test_rescaler.py",
    ),
    M(
        "PowerTransform: log and sqrt pick the left-skewed columns",
        "autodl/preprocessing/_power.py",
        "keep = usable & (s > t)",
        "keep = usable & (s < -t)",
        "tests/preprocessing/test_power_transform.py",
    ),
    M(
        "TabularPreprocessor: no indicator for missing numbers",
        "autodl/preprocessing/_tabular.py",
        "strategy=self.numeric_impute,\n"
        "                        add_indicator=self.add_indicator,",
        "strategy=self.numeric_impute,\n                        add_indicator=False,",
        "tests/preprocessing/test_tabular_preprocessor.py",
    ),
    M(
        "TabularPreprocessor: max_onehot off by one",
        "autodl/preprocessing/_tabular.py",
        "k for k in categorical if n_unique[k] <= self.max_onehot",
        "k for k in categorical if n_unique[k] < self.max_onehot",
        "tests/preprocessing/test_tabular_preprocessor.py",
    ),
    M(
        "FeatureSelector keeps one feature more than k",
        "autodl/preprocessing/_selection.py",
        "self.support_ = _top_k(self.scores_, k)",
        "self.support_ = _top_k(self.scores_, k if k is None else k + 1)",
        "tests/preprocessing/test_feature_selection.py",
    ),
    M(
        "Resampler('smote') over-samples by copying rows",
        "autodl/preprocessing/_resampler.py",
        '    if method == "smote":\n        return smote',
        '    if method == "smote":\n        return RandomOverSampler(**common)',
        "tests/preprocessing/test_resampler.py",
    ),
    M(
        "NoiseAugmenter ignores scale",
        "autodl/preprocessing/_noise.py",
        "self.noise_std_ = scale * X.std(axis=0)",
        "self.noise_std_ = 0.05 * X.std(axis=0)",
        "tests/preprocessing/test_noise_augmenter.py",
    ),
    M(
        "SpotCheck's default views lose the standardized view",
        "autodl/spotcheck/_spotcheck.py",
        '("standardized", Rescaler("standard")),',
        '("standardized", "passthrough"),',
        "tests/spotcheck/test_spotcheck.py",
    ),
    M(
        "errors stop naming the columns with NaN",
        "autodl/utils/_validation.py",
        'else (f" in column(s) {_column_names(X, nan_cols)}")',
        'else " in some column"',
        "tests/utils/test_validation_properties.py",
        "-k",
        "invalid",
    ),
    M(
        "classifiers refuse two classes",
        "autodl/utils/_validation.py",
        "    classes = np.unique(np.asarray(y))\n    if classes.size < 2:",
        "    classes = np.unique(np.asarray(y))\n    if classes.size < 3:",
        "tests/utils/test_validation_properties.py",
        "-k",
        "valid_tables",
    ),
    # -- 2. algorithms ---------------------------------------------------------
    M(
        "SpotCheck ignores n_repeats",
        "autodl/spotcheck/_spotcheck.py",
        "n_splits=self.cv, n_repeats=self.n_repeats, random_state=seed",
        "n_splits=self.cv, n_repeats=1, random_state=seed",
        "tests/spotcheck/test_spotcheck.py",
    ),
    M(
        "AutoClassifier searches on every row (no sample first)",
        "autodl/automl/_auto.py",
        "if len(y) <= SEARCH_MAX_ROWS:",
        "if True:",
        "tests/automl/test_auto.py",
    ),
    M(
        "hidden_layer_space ignores the shape",
        "autodl/neural/_topology.py",
        "tuple(min(width, w) for w in _layer_sizes(depth, width, shape))",
        "tuple(min(width, w) for w in _layer_sizes(depth, width, 'constant'))",
        "tests/automl/test_topology_search.py",
        "-k",
        "not budget",
    ),
    M(
        "default_models: kNN is naive Bayes",
        "autodl/spotcheck/_zoo.py",
        '"knn",\n                KNeighborsClassifier(),',
        '"knn",\n                GaussianNB(),',
        "tests/spotcheck/test_spotcheck.py",
    ),
    M(
        "successive halving keeps half, not a third",
        "autodl/automl/_search.py",
        "_HALVING_FACTOR = 3",
        "_HALVING_FACTOR = 2",
        "tests/automl/test_topology_search.py",
        "-k",
        "not budget",
    ),
    # -- 3. better learning ----------------------------------------------------
    M(
        "batch_size='full' uses one row per batch",
        EST,
        'size = max(1, n_train) if self.batch_size == "full" else',
        'size = 1 if self.batch_size == "full" else',
        T_MLP,
        "-k",
        "batch_size",
    ),
    M(
        "lr ignored (always 1e-3)",
        EST,
        "            lr=float(self.lr),\n            max_epochs=int(epochs),",
        "            lr=1e-3,\n            max_epochs=int(epochs),",
        T_MLP,
        "-k",
        "optimizer",
    ),
    M(
        "optimizer='sgd' gives Adam",
        EST,
        '"sgd": torch.optim.SGD,',
        '"sgd": torch.optim.Adam,',
        T_MLP,
        "-k",
        "optimizer",
    ),
    M(
        "momentum ignored (always 0.9)",
        EST,
        "kwargs.update(momentum=float(self.momentum), nesterov=bool(self.nesterov))",
        "kwargs.update(momentum=0.9, nesterov=bool(self.nesterov))",
        T_MLP,
        "-k",
        "optimizer or momentum",
    ),
    M(
        "nesterov ignored (always False)",
        EST,
        "kwargs.update(momentum=float(self.momentum), nesterov=bool(self.nesterov))",
        "kwargs.update(momentum=float(self.momentum), nesterov=False)",
        T_MLP,
        "-k",
        "optimizer or momentum",
    ),
    M(
        "lr_schedule='step' divides by 2, not 10",
        EST,
        "sched.StepLR, step_size=max(1, epochs // 3), gamma=0.1",
        "sched.StepLR, step_size=max(1, epochs // 3), gamma=0.5",
        T_MLP,
        "-k",
        "schedule",
    ),
    M(
        "loss='mae' is the squared error",
        EST,
        '"mae": torch.nn.L1Loss,',
        '"mae": torch.nn.MSELoss,',
        T_MLP,
        "-k",
        "loss",
    ),
    M(
        "class_weight ignored",
        EST,
        'params["criterion__weight"] = torch.from_numpy(weights.astype(np.float32))',
        "pass",
        T_MLP,
        "-k",
        "class_weight",
    ),
    M(
        "batch_norm ignored",
        EST,
        '"batch_norm": bool(self.batch_norm),',
        '"batch_norm": False,',
        T_MODULES,
    ),
    M(
        "activation ignored (always relu)",
        EST,
        '"activation": self.activation,',
        '"activation": "relu",',
        T_MLP,
        "-k",
        "activation",
    ),
    M(
        "weight_init='xavier' keeps torch's init",
        MOD,
        'if weight_init != "default":',
        'if weight_init not in ("default", "xavier"):',
        T_MODULES,
    ),
    M(
        "grad_clip ignored",
        EST,
        "if self.grad_clip is not None:\n            callbacks.append(",
        "if False:\n            callbacks.append(",
        T_MLP,
        "-k",
        "grad_clip",
    ),
    M(
        "hidden_layer_sizes: the last layer dropped",
        EST,
        '"hidden_layer_sizes": sizes,',
        '"hidden_layer_sizes": sizes[:-1],',
        T_MLP,
        "tests/neural/test_mlp_data.py",
    ),
    M(
        "init_from copies nothing",
        TR,
        "            dst[0].load_state_dict(src[0].state_dict())",
        "            pass",
        "tests/neural/test_transfer.py",
    ),
    M(
        "freeze keeps no layer fixed",
        TR,
        'frozen = [f"hidden.{i}.*" for i in given[:freeze]]',
        'frozen = ["nothing.*"]',
        "tests/neural/test_transfer.py",
    ),
    M(
        "warm_start starts afresh",
        TR,
        "        module.load_state_dict(previous.module_.state_dict())",
        "        pass",
        "tests/neural/test_transfer.py",
    ),
    M(
        "pretrain keeps none of the pretrained layers",
        TR,
        "module.hidden[i].load_state_dict(phase.hidden[0].state_dict())",
        "pass",
        "tests/neural/test_pretrain.py",
    ),
    M(
        "betas ignored (always Adam's defaults)",
        EST,
        'kwargs["betas"] = tuple(float(b) for b in self.betas)',
        'kwargs["betas"] = (0.9, 0.999)',
        T_MLP,
        "-k",
        "optimizer",
    ),
    M(
        "input_scaling: the smooth clip squeezes to about +-30",
        "autodl/neural/_scaling.py",
        "return (X / np.sqrt(1.0 + (X / 3.0) ** 2)).astype(np.float32)",
        "return (X / np.sqrt(1.0 + (X / 30.0) ** 2)).astype(np.float32)",
        "tests/neural/test_tabular_levers.py",
    ),
    M(
        "numeric_embedding ignored",
        EST,
        '"numeric_embedding": self.numeric_embedding,',
        '"numeric_embedding": None,',
        "tests/neural/test_tabular_levers.py",
    ),
    M(
        "feature_scale ignored",
        EST,
        '"feature_scale": bool(self.feature_scale),',
        '"feature_scale": False,',
        "tests/neural/test_tabular_levers.py",
    ),
    M(
        "n_ensemble ignored",
        EST,
        '"n_ensemble": int(self.n_ensemble),',
        '"n_ensemble": 1,',
        "tests/neural/test_tabular_levers.py",
    ),
    M(
        "lr_schedule='flat_anneal' anneals from the start",
        EST,
        "_FLAT_FRACTION = 0.5",
        "_FLAT_FRACTION = 0.0",
        "tests/neural/test_tabular_levers.py",
    ),
    # -- 4. better generalization ------------------------------------------------
    M(
        "l1 ignored in the loss",
        NET,
        "loss = loss + self.l1 * sum(w.abs().sum() for w in self.module_.weights())",
        "loss = loss + 0 * self.l1",
        T_NET,
    ),
    M(
        "l1 penalises squared weights",
        NET,
        "loss = loss + self.l1 * sum(w.abs().sum() for w in self.module_.weights())",
        "loss = loss + self.l1 * sum(w.pow(2).sum() for w in self.module_.weights())",
        T_NET,
    ),
    M(
        "activity_l1 ignored in the loss",
        NET,
        "loss = loss + self.activity_l1 * activity",
        "loss = loss + 0 * activity",
        T_NET,
    ),
    M(
        "max_norm ignored",
        CB,
        "weight.copy_(torch.renorm(weight, p=2, dim=0, maxnorm=self.max_norm))",
        "pass",
        "tests/neural/test_callbacks.py",
    ),
    M(
        "input_noise ignored",
        EST,
        '"input_noise": float(self.input_noise),',
        '"input_noise": 0.0,',
        T_MODULES,
    ),
    M(
        "hidden_noise ignored",
        EST,
        '"hidden_noise": float(self.hidden_noise),',
        '"hidden_noise": 0.0,',
        T_MODULES,
    ),
    M(
        "dropout with selu is plain Dropout",
        MOD,
        'drop_cls = nn.AlphaDropout if activation == "selu" else nn.Dropout',
        "drop_cls = nn.Dropout",
        T_MODULES,
    ),
    M(
        "early stopping keeps the last epoch's weights",
        EST,
        "monitor=monitor, patience=self.patience, load_best=not averaging",
        "monitor=monitor, patience=self.patience, load_best=False",
        T_MLP,
        "-k",
        "early_stopping",
    ),
    M(
        "patience: three epochs more than asked",
        EST,
        "monitor=monitor, patience=self.patience, load_best=not averaging",
        "monitor=monitor, patience=self.patience + 3, load_best=not averaging",
        T_MLP,
        "-k",
        "early_stopping",
    ),
    M(
        "validation_fraction doubled",
        EST,
        "n_valid = math.ceil(self.validation_fraction * n)",
        "n_valid = math.ceil(2 * self.validation_fraction * n)",
        T_MLP,
        "-k",
        "validation",
    ),
    M(
        "label_smoothing ignored",
        EST,
        'params["criterion__label_smoothing"] = float(self.label_smoothing)',
        "pass",
        "tests/neural/test_tabular_levers.py",
        "-k",
        "label_smoothing",
    ),
    # -- 5. better predictions -------------------------------------------------
    M(
        "SeedEnsemble averages one member only",
        "autodl/ensemble/_averaging.py",
        "return np.mean([est.predict_proba(X) for est in self.estimators_], axis=0)",
        "return self.estimators_[0].predict_proba(X)",
        "tests/ensemble/test_seed_snapshot.py",
    ),
    M(
        "SeedEnsemble: every member gets the same seed",
        "autodl/utils/_seeds.py",
        "seeds = {name: draw_seed(rng) for name in names}",
        "seeds = {name: 0 for name in names}",
        "tests/ensemble/test_seed_snapshot.py",
        "-k",
        "seed",
    ),
    M(
        "SnapshotEnsemble: cyclic snapshots all at the last epoch",
        "autodl/ensemble/_snapshot.py",
        "epochs = [cycle * (i + 1) for i in range(n)]",
        "epochs = [cycle * n for i in range(n)]",
        "tests/ensemble/test_seed_snapshot.py",
        "-k",
        "snapshot",
    ),
    M(
        "Blending: the meta-learner fits on the members' training rows",
        "autodl/ensemble/_blending.py",
        "                _safe_indexing(X, hold),\n                y[hold],",
        "                X_fit,\n                y_fit,",
        "tests/ensemble/test_blending.py",
    ),
    M(
        "weight_averaging='ema' averages equally",
        CB,
        'if self.method == "ema":',
        'if self.method == "never":',
        "tests/neural/test_weight_averaging.py",
    ),
    # -- 6. diagnostics ----------------------------------------------------------
    M(
        "diagnose: the generalization gap rule never fires",
        "autodl/diagnostics/_diagnose.py",
        "if gap is not None and gap > GENERALIZATION_SKILL_GAP:",
        "if False:",
        "tests/diagnostics/test_diag_cases.py",
    ),
    M(
        "learning_curves: epochs numbered from 0",
        "autodl/diagnostics/_curves.py",
        '[int(row.get("epoch", i + 1)) for i, row in enumerate(history)]',
        '[int(row.get("epoch", i + 1)) - 1 for i, row in enumerate(history)]',
        "tests/diagnostics/test_diag_curves.py",
    ),
    M(
        "write_report lists only the best leaderboard row",
        "autodl/diagnostics/_report.py",
        "for i, row in board.head(MAX_LEADERBOARD_ROWS).iterrows():",
        "for i, row in board.head(1).iterrows():",
        "tests/diagnostics/test_diag_report.py",
    ),
    M(
        "run_variance: the spread is the variance",
        "autodl/diagnostics/_runs.py",
        "spread = predictions.astype(float).std(axis=0, ddof=1).mean()",
        "spread = predictions.astype(float).var(axis=0, ddof=1).mean()",
        "tests/diagnostics/test_diag_run_variance.py",
    ),
]


def _copy_repo(dest):
    for name in COPIED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(
                src, dest / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        elif src.exists():
            shutil.copy2(src, dest / name)


def _pytest(copy, tests, timeout):
    """``(returncode, summary)`` of pytest on ``tests`` inside ``copy``."""
    env = {
        **os.environ,
        "PYTHONPATH": str(copy),
        "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1"),
        "MPLBACKEND": "Agg",
    }
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
    cmd += ["-W", "ignore::pytest.PytestUnraisableExceptionWarning", *tests]
    try:
        run = subprocess.run(
            cmd, cwd=copy, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return None, f"timed out after {timeout} s"
    lines = (run.stdout + run.stderr).strip().splitlines()
    failed = [line for line in lines if line.startswith(("FAILED", "ERROR"))]
    return run.returncode, (failed[:1] or lines[-1:] or [""])[0][:150]


def _apply(copy, mutation):
    """Write the mutated file; return its original text, or None when stale."""
    path = copy / mutation.file
    text = path.read_text()
    if text.count(mutation.old) != 1:
        return None
    path.write_text(text.replace(mutation.old, mutation.new))
    return text


def _check_import(copy):
    env = {**os.environ, "PYTHONPATH": str(copy)}
    out = subprocess.run(
        [sys.executable, "-c", "import autodl; print(autodl.__file__)"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not out.startswith(str(copy)):
        raise SystemExit(f"autodl imports from {out}, not from the copy {copy}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="run mutations whose name contains")
    parser.add_argument("--list", action="store_true", help="list and exit")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per run")
    args = parser.parse_args(argv)
    chosen = [
        m
        for m in MUTATIONS
        if not args.names or any(n.lower() in m.name.lower() for n in args.names)
    ]
    if args.list:
        for m in chosen:
            print(f"{m.name}\n    {m.file}; tests: {' '.join(m.tests)}")
        return 0
    results = {}
    with tempfile.TemporaryDirectory(prefix="autodl-mutants-") as tmp:
        copy = Path(tmp)
        _copy_repo(copy)
        _check_import(copy)
        if not args.no_baseline:
            selections = list(dict.fromkeys(m.tests for m in chosen))
            for tests in selections:
                code, summary = _pytest(copy, tests, args.timeout)
                if code != 0:
                    print(f"baseline fails: {' '.join(tests)}: {summary}")
                    return 2
            print(f"baseline: {len(selections)} test selections pass unmutated")
        for m in chosen:
            start = time.perf_counter()
            original = _apply(copy, m)
            if original is None:
                status, summary = "stale", "old text not found exactly once"
            else:
                try:
                    code, summary = _pytest(copy, m.tests, args.timeout)
                finally:
                    (copy / m.file).write_text(original)
                status = {0: "SURVIVED", 1: "caught", 2: "caught"}.get(code, "error")
            results[m.name] = status
            seconds = time.perf_counter() - start
            print(f"{status:9} {seconds:5.1f} s  {m.name}", flush=True)
            if status != "SURVIVED":
                print(f"{'':18}{summary}", flush=True)
    caught = sum(s == "caught" for s in results.values())
    others = {s: sum(v == s for v in results.values()) for s in ("stale", "error")}
    print(
        f"\ncaught {caught}/{len(results)}"
        + "".join(f", {n} {s}" for s, n in others.items() if n)
    )
    survived = [name for name, s in results.items() if s == "SURVIVED"]
    for name in survived:
        print(f"  survived: {name}")
    return 1 if caught < len(results) else 0


if __name__ == "__main__":
    sys.exit(main())
