"""``autodl demo``: rank a handful of models on the embedded demo data."""

HELP = "cross-validate a handful of models on the embedded demo data"


def add_parser(sub, name):
    from autodl.datasets import DEMO_DATASETS

    parser = sub.add_parser(
        name, help=HELP, description=HELP[0].upper() + HELP[1:] + "."
    )
    parser.add_argument(
        "--dataset",
        default="breast_cancer",
        choices=sorted(DEMO_DATASETS),
        help="demo dataset shipped with scikit-learn (default: %(default)s)",
    )
    parser.add_argument(
        "--cv", type=int, default=5, help="folds (default: %(default)s)"
    )
    parser.add_argument(
        "--n-jobs",
        type=int,
        default=-1,
        help="parallel fits through joblib; -1 uses all cores (default: %(default)s)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="random seed (default: %(default)s)"
    )
    return parser


def _models(task, seed):
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
    from sklearn.ensemble import (
        HistGradientBoostingClassifier,
        HistGradientBoostingRegressor,
        RandomForestClassifier,
        RandomForestRegressor,
    )
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
    from sklearn.preprocessing import StandardScaler
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
    from xgboost import XGBClassifier, XGBRegressor

    from autodl.pipeline import make_pipeline

    if task == "regression":
        return {
            "ridge": make_pipeline(StandardScaler(), Ridge()),
            "knn": make_pipeline(StandardScaler(), KNeighborsRegressor()),
            "cart": DecisionTreeRegressor(random_state=seed),
            "random_forest": RandomForestRegressor(random_state=seed, n_jobs=1),
            "hist_gradient_boosting": HistGradientBoostingRegressor(random_state=seed),
            "xgboost": XGBRegressor(random_state=seed, n_jobs=1),
        }
    return {
        "logistic_regression": make_pipeline(
            StandardScaler(), LogisticRegression(max_iter=2000)
        ),
        "lda": LinearDiscriminantAnalysis(),
        "knn": make_pipeline(StandardScaler(), KNeighborsClassifier()),
        "cart": DecisionTreeClassifier(random_state=seed),
        "random_forest": RandomForestClassifier(random_state=seed, n_jobs=1),
        "hist_gradient_boosting": HistGradientBoostingClassifier(random_state=seed),
        "xgboost": XGBClassifier(random_state=seed, n_jobs=1),
    }


def leaderboard(X, y, task, cv=5, n_jobs=None, seed=0):
    """Cross-validate the demo models; a DataFrame ranked best first."""
    import numpy as np
    import pandas as pd
    from sklearn.model_selection import KFold, StratifiedKFold, cross_validate
    from sklearn.preprocessing import LabelEncoder

    scoring = {
        "binary": "roc_auc",
        "multiclass": "balanced_accuracy",
        "regression": "r2",
    }[task]
    if task == "regression":
        splitter = KFold(cv, shuffle=True, random_state=seed)
    else:
        y = LabelEncoder().fit_transform(y)  # xgboost wants labels 0..K-1
        splitter = StratifiedKFold(cv, shuffle=True, random_state=seed)
    rows = []
    for name, model in _models(task, seed).items():
        res = cross_validate(
            model,
            X,
            y,
            cv=splitter,
            scoring=scoring,
            n_jobs=n_jobs,
            error_score="raise",
        )
        rows.append(
            {
                "model": name,
                "mean_score": np.mean(res["test_score"]),
                "std_score": np.std(res["test_score"]),
                "fit_time": np.mean(res["fit_time"]),
            }
        )
    board = pd.DataFrame(rows).sort_values("mean_score", ascending=False)
    board.insert(0, "rank", range(1, len(board) + 1))
    board.attrs["scoring"] = scoring
    return board.reset_index(drop=True)


def run(args):
    from autodl.datasets import DEMO_DATASETS, load_demo

    if args.cv < 2:
        raise ValueError(
            f"--cv {args.cv} is too small; cross-validation needs at least 2 folds."
        )
    X, y = load_demo(args.dataset)
    task = DEMO_DATASETS[args.dataset][1]
    print(
        f"autodl demo: {args.dataset} ({X.shape[0]} rows x {X.shape[1]} features, "
        f"{task}); {args.cv}-fold cross-validation of each model."
    )
    board = leaderboard(X, y, task, cv=args.cv, n_jobs=args.n_jobs, seed=args.seed)
    print(
        f"Ranked by mean {board.attrs['scoring']} over the folds (higher is better):\n"
    )
    print(board.to_string(index=False, float_format=lambda v: f"{v:.4f}"))
    best = board.iloc[0]
    print(
        f"\nBest: {best['model']} with {board.attrs['scoring']} "
        f"{best['mean_score']:.4f} +/- {best['std_score']:.4f}."
    )
    return 0
