"""
==========================
Weight decay (L2 penalty)
==========================

A wide net trained long on a hundred noisy rows memorises them: the training loss
keeps falling while the validation loss turns and climbs. Weight decay
(``weight_decay``, an L2 penalty on the weights) keeps the weights small and the
decision boundary smooth, which narrows the gap between the two curves.
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
# The same over-sized net, without and with an L2 penalty; no early stopping, so
# the curves show what happens over the whole run.
models = {}
for weight_decay in [0.0, 1e-2]:
    models[f"weight_decay={weight_decay}"] = MLPClassifier(
        hidden_layer_sizes=(256, 256),
        lr=3e-3,
        batch_size=32,
        weight_decay=weight_decay,
        max_epochs=300,
        early_stopping=False,
        validation_fraction=0.3,
        random_state=0,
    ).fit(X_train, y_train)

for name, model in models.items():
    print(
        f"{name:>18}: test accuracy {model.score(X_test, y_test):.3f}, "
        f"test log-loss {log_loss(y_test, model.predict_proba(X_test)):.3f}"
    )

# %%
# Without the penalty the validation loss climbs after a few dozen epochs; with it
# the validation loss stays close to the training loss.
fig, ax = plt.subplots(figsize=(7, 4))
for (name, model), color in zip(models.items(), ["C0", "C1"], strict=True):
    epochs = model.history_[:, "epoch"]
    ax.plot(epochs, model.history_[:, "train_loss"], "--", color=color)
    ax.plot(epochs, model.history_[:, "valid_loss"], "-", color=color, label=name)
ax.set(xlabel="epoch", ylabel="cross-entropy (dashed: train, solid: validation)")
ax.legend()
plt.show()
