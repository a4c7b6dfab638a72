"""
===================
Batch normalisation
===================

A deeper net trained with plain SGD can sit on a plateau for many epochs: the
inputs of each layer shift as the layers below them learn. Batch normalisation
(``batch_norm=True``) standardises each hidden layer's inputs over the batch and
usually lets the same net, with the same optimiser and learning rate, learn much
faster.
"""

# %%
# Two concentric circles, half for training and half held out.
import matplotlib.pyplot as plt
from sklearn.datasets import make_circles
from sklearn.model_selection import train_test_split

from autodl.neural import MLPClassifier

X, y = make_circles(600, noise=0.1, factor=0.5, random_state=1)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, random_state=1, stratify=y
)

# %%
# Four hidden layers of 64 ReLU units, SGD with momentum, with and without batch
# normalisation.
models = {}
for batch_norm in [False, True]:
    models[f"batch_norm={batch_norm}"] = MLPClassifier(
        hidden_layer_sizes=(64, 64, 64, 64),
        batch_norm=batch_norm,
        optimizer="sgd",
        lr=0.01,
        momentum=0.9,
        batch_size=32,
        max_epochs=30,
        early_stopping=False,
        validation_fraction=0.2,
        random_state=0,
    ).fit(X_train, y_train)

for name, model in models.items():
    print(
        f"{name:>16}: test accuracy {model.score(X_test, y_test):.3f}, "
        f"final validation loss {model.history_[-1, 'valid_loss']:.3f}"
    )

# %%
# With batch normalisation the loss falls within a few epochs; without it the net
# needs most of the run to leave the plateau.
fig, ax = plt.subplots(figsize=(7, 4))
for (name, model), color in zip(models.items(), ["C0", "C1"], strict=True):
    epochs = model.history_[:, "epoch"]
    ax.plot(epochs, model.history_[:, "train_loss"], "--", color=color)
    ax.plot(epochs, model.history_[:, "valid_loss"], "-", color=color, label=name)
ax.set(xlabel="epoch", ylabel="cross-entropy (dashed: train, solid: validation)")
ax.legend()
plt.show()
