"""
==============
Early stopping
==============

Instead of guessing the number of epochs, hold out part of the training rows, watch
the validation loss, stop when it has not improved for ``patience`` epochs and keep
the weights of the best epoch (``early_stopping=True``, the default; skorch's
``EarlyStopping`` with ``load_best=True`` does the work). The fitted model's
``best_epoch_`` says which epoch it kept.
"""

# %%
# Few, noisy training rows: the setting in which a big net overfits.
import matplotlib.pyplot as plt
from sklearn.datasets import make_circles
from sklearn.metrics import log_loss
from sklearn.model_selection import train_test_split

from autodl.neural import MLPClassifier

X, y = make_circles(1000, noise=0.2, factor=0.5, random_state=1)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, train_size=100, random_state=1, stratify=y
)

# %%
# The same over-sized net for up to 300 epochs, without and with early stopping.
models = {}
for early_stopping in [False, True]:
    models[f"early_stopping={early_stopping}"] = MLPClassifier(
        hidden_layer_sizes=(256, 256),
        lr=3e-3,
        batch_size=32,
        max_epochs=300,
        early_stopping=early_stopping,
        patience=20,
        validation_fraction=0.3,
        random_state=0,
    ).fit(X_train, y_train)

for name, model in models.items():
    print(
        f"{name:>20}: {len(model.history_)} epochs, weights of epoch "
        f"{model.best_epoch_ if model.early_stopping else len(model.history_)}, "
        f"test accuracy {model.score(X_test, y_test):.3f}, "
        f"test log-loss {log_loss(y_test, model.predict_proba(X_test)):.3f}"
    )

# %%
# Early stopping ends the run ``patience`` epochs after the best validation loss
# (the dot) and restores that epoch's weights, long before the overfitting the
# full run shows.
fig, ax = plt.subplots(figsize=(7, 4))
for (name, model), color in zip(models.items(), ["C0", "C1"], strict=True):
    epochs = model.history_[:, "epoch"]
    ax.plot(epochs, model.history_[:, "valid_loss"], "-", color=color, label=name)
    best = model.best_epoch_
    ax.plot(best, model.history_[best - 1, "valid_loss"], "o", color=color)
ax.set(xlabel="epoch", ylabel="validation cross-entropy")
ax.legend()
plt.show()
