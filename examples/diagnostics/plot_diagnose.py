"""
=============================================================
Diagnose before you intervene: learning, generalization, runs
=============================================================

Is the model failing to learn, failing to generalise, or varying too much from run
to run? ``diagnose`` fits a few clones on a train / validation split, reads the
learning curves (a net's per-epoch history, or scikit-learn's learning curve for
other models) and the spread across seeds, and names the problem, the numbers
behind the verdict and the levers to pull (``../shared/TOOLBOX.md``, sections 3-5).

Three models, one problem each, then an HTML report of a spot-check.
"""

# %%
# Where the HTML report goes (the working directory).
from pathlib import Path

import matplotlib.pyplot as plt
from sklearn.datasets import make_circles, make_moons
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

from autodl.diagnostics import diagnose, plot_learning_curves, write_report
from autodl.neural import MLPClassifier
from autodl.preprocessing import Rescaler
from autodl.spotcheck import SpotCheck

REPORT_PATH = Path("report.html")

# %%
# A learning problem: plain SGD at ``lr=1e-6`` cannot move the loss in 15 epochs.
# The training loss stays at the loss of predicting the class priors (ln 2).
X, y = make_circles(400, noise=0.1, factor=0.5, random_state=0)
slow = MLPClassifier(optimizer="sgd", lr=1e-6, max_epochs=15, device="cpu")
learning = diagnose(slow, X, y, random_state=0)
print(learning, end="\n\n")

# %%
# A generalization problem: a (512, 512) net trained for 400 epochs without early
# stopping on 60 noisy rows memorises them. The training loss goes to zero, the
# validation loss climbs far above its minimum, and the train / validation gap is
# wide.
X_small, y_small = make_circles(60, noise=0.3, random_state=0)
big = MLPClassifier(
    hidden_layer_sizes=(512, 512),
    lr=3e-3,
    max_epochs=400,
    early_stopping=False,
    device="cpu",
)
generalization = diagnose(big, X_small, y_small, random_state=0)
print(generalization, end="\n\n")

# %%
# A prediction problem: a single randomised tree (``ExtraTreesClassifier`` with one
# member) fits training and validation rows equally well, but every seed draws
# other split thresholds, so the validation score moves from run to run. Averaging
# members (more trees, ``SeedEnsemble``) is the lever.
X_moons, y_moons = make_moons(400, noise=0.2, random_state=0)
one_tree = ExtraTreesClassifier(n_estimators=1, max_depth=4)
prediction = diagnose(one_tree, X_moons, y_moons, random_state=0)
print(prediction, end="\n\n")

for found in (learning, generalization, prediction):
    print(f"{found.estimator_name:>22}: {found.problem}")

# %%
# The curves behind the generalization verdict: training (solid) against validation
# (dashed), loss on the left, accuracy on the right; one colour per seed.
plot_learning_curves(
    {f"run {i + 1}": curves for i, curves in enumerate(generalization.curves)}
)
plt.show()

# %%
# The curves behind the learning verdict: the training loss stays at ln 2.
learning.plot()
plt.show()

# %%
# A report: spot-check three model families on two views, then write one HTML
# file with the leaderboard, the per-fold box plots, held-out plots (confusion
# matrix, ROC curve, permutation importance), the diagnosis of the best net from
# its training history, and the settings. Open it in any browser.
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, random_state=0, stratify=y
)
spot = SpotCheck(
    models=[
        ("logistic", LogisticRegression()),
        ("tree", DecisionTreeClassifier(max_depth=4, random_state=0)),
        ("net", MLPClassifier(hidden_layer_sizes=(32,), lr=1e-2, random_state=0)),
    ],
    views=[("raw", None), ("standardized", Rescaler())],
    cv=3,
    random_state=0,
).fit(X_train, y_train)
report = write_report(spot, REPORT_PATH, X=X_test, y=y_test)
print(f"\nwrote {report}")
