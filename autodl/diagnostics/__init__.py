"""Learning curves, the learning / generalization / prediction diagnosis, reports.

Diagnose before you intervene (TOOLBOX.md, section 6): read a net's learning
curves, ask :func:`diagnose` whether the model fails to learn, fails to
generalise or varies too much from run to run, then pull the lever it names.
:func:`write_report` puts a fitted search's leaderboard, plots and diagnosis in
one HTML file. matplotlib is imported only when something is drawn.
"""

from autodl.diagnostics._curves import learning_curves, plot_learning_curves
from autodl.diagnostics._diagnose import Diagnosis, diagnose
from autodl.diagnostics._evidence import Evidence
from autodl.diagnostics._plots import (
    plot_confusion_matrix,
    plot_cv_scores,
    plot_permutation_importance,
    plot_residuals,
    plot_roc_curve,
)
from autodl.diagnostics._report import write_report
from autodl.diagnostics._runs import RunVariance, run_variance

__all__ = [
    "Diagnosis",
    "Evidence",
    "RunVariance",
    "diagnose",
    "learning_curves",
    "plot_confusion_matrix",
    "plot_cv_scores",
    "plot_learning_curves",
    "plot_permutation_importance",
    "plot_residuals",
    "plot_roc_curve",
    "run_variance",
    "write_report",
]
