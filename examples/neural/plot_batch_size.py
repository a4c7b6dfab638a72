"""
=====================================================
Batch size: stochastic, mini-batch and batch learning
=====================================================

The batch size sets how many rows each gradient step sees. One row per step
(``batch_size=1``, stochastic gradient descent) gives many noisy steps per epoch;
the whole training set per step (``batch_size="full"``, batch gradient descent)
gives one smooth but slow step per epoch; a mini-batch sits in between and is
usually the best trade-off. Same net, same SGD optimiser and learning rate, same
number of epochs: only ``batch_size`` changes.
"""

# %%
# Data: two concentric circles, half for training and half held out.
import matplotlib.pyplot as plt
from sklearn.datasets import make_circles
from sklearn.model_selection import train_test_split

from autodl.neural import MLPClassifier

X, y = make_circles(400, noise=0.1, factor=0.5, random_state=1)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, random_state=1, stratify=y
)

# %%
# Three batch sizes, everything else fixed. Early stopping is off so that every
# curve runs the full 30 epochs; 20% of the training rows give the validation loss.
models = {}
for label, batch_size in [
    ("stochastic (1)", 1),
    ("mini-batch (16)", 16),
    ("full batch", "full"),
]:
    models[label] = MLPClassifier(
        hidden_layer_sizes=(50,),
        optimizer="sgd",
        lr=0.01,
        momentum=0.9,
        batch_size=batch_size,
        max_epochs=30,
        early_stopping=False,
        validation_fraction=0.2,
        random_state=0,
    ).fit(X_train, y_train)

for label, model in models.items():
    steps = sum(model.history_[:, "train_batch_count"])
    print(
        f"{label:>16}: test accuracy {model.score(X_test, y_test):.3f} "
        f"after {steps} gradient steps"
    )

# %%
# Learning curves: stochastic learning drops fastest per epoch but is noisy; the
# full batch takes one step per epoch and has barely started after 30 epochs.
fig, ax = plt.subplots(figsize=(7, 4))
for (label, model), color in zip(models.items(), ["C0", "C1", "C2"], strict=True):
    epochs = model.history_[:, "epoch"]
    ax.plot(epochs, model.history_[:, "train_loss"], "--", color=color)
    ax.plot(epochs, model.history_[:, "valid_loss"], "-", color=color, label=label)
ax.set(xlabel="epoch", ylabel="cross-entropy (dashed: train, solid: validation)")
ax.legend()
plt.show()
