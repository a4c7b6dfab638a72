"""
=========================================================
Pseudo-labelling: a net with 90% of its labels hidden
=========================================================

Labels are often the expensive part of a dataset. Self-training (pseudo-labelling)
uses the unlabelled rows too: fit on the labelled rows, label the unlabelled rows
the model is confident about with its own predictions, refit, repeat. That is
scikit-learn's ``SelfTrainingClassifier``; any autodl classifier with
``predict_proba`` (``MLPClassifier``, ``SpotCheck``, ``AutoClassifier``) can be its
base estimator. Unlabelled rows carry the label ``-1``; the base estimator only
ever sees labelled (or pseudo-labelled) rows.

On the digits (1,797 images of 8x8 pixels, 10 classes) we hide 90% of the training
labels, then compare on a held-out test set

- the net trained on the labelled 10% only;
- ``SelfTrainingClassifier`` around the same net (threshold 0.9, at most 5 rounds).

On the three splits below self-training adds 2 to 5 points of test accuracy (a
mean of 0.87 without, 0.90 with, when this was written); how much depends on the
split and on the threshold, and a model that is confidently wrong about a class
feeds its own errors back. A net that is not trained long enough to be confident
pseudo-labels nothing above the threshold and gains nothing.
"""

# %%
# The digits, pixels scaled to [0, 1], and a small net.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.semi_supervised import SelfTrainingClassifier

from autodl.neural import MLPClassifier

X, y = load_digits(return_X_y=True)
X = X / 16.0  # pixels in [0, 1]

net = MLPClassifier(
    hidden_layer_sizes=(64,),
    lr=5e-3,
    batch_size=128,
    max_epochs=50,
    device="cpu",
    random_state=0,
)

# %%
# Three splits; on each, 90% of the training labels become -1.
rows = []
for seed in range(3):
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, random_state=seed, stratify=y
    )
    hidden = np.random.RandomState(seed).rand(len(y_train)) < 0.9
    y_semi = np.where(hidden, -1, y_train)

    labelled_only = clone(net).fit(X_train[~hidden], y_train[~hidden])
    self_training = SelfTrainingClassifier(clone(net), threshold=0.9, max_iter=5)
    self_training.fit(X_train, y_semi)
    added = int((self_training.labeled_iter_ > 0).sum())
    rows.append(
        (
            labelled_only.score(X_test, y_test),
            self_training.score(X_test, y_test),
            added,
        )
    )
    print(
        f"split {seed}: {int((~hidden).sum())} labelled rows; test accuracy "
        f"{rows[-1][0]:.3f} labelled only, {rows[-1][1]:.3f} with self-training "
        f"({added} pseudo-labels over {self_training.n_iter_} rounds)"
    )

scores = np.array([r[:2] for r in rows])
print(
    f"mean: {scores[:, 0].mean():.3f} labelled only, "
    f"{scores[:, 1].mean():.3f} with self-training"
)

# %%
# Test accuracy on each split, with and without the pseudo-labels.
fig, ax = plt.subplots(figsize=(6, 4))
for seed, (alone, selftrained) in enumerate(scores):
    ax.plot([0, 1], [alone, selftrained], marker="o", label=f"split {seed}")
ax.set(
    xticks=[0, 1],
    xticklabels=["labelled 10% only", "SelfTraining(net)"],
    ylabel="test accuracy",
    title="Digits, 90% of the training labels hidden",
)
ax.legend()
plt.show()
