"""
===========
Input noise
===========

Adding a little Gaussian noise to the inputs during training (``input_noise``, the
standard deviation in input units) shows the net a slightly different version of
each row every epoch, so it cannot memorise the exact points: a cheap form of data
augmentation that smooths the decision boundary. The noise is applied in training
only; predictions use the clean inputs.
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
# The same over-sized net, without and with noise on its inputs.
models = {}
for input_noise in [0.0, 0.1]:
    models[f"input_noise={input_noise}"] = MLPClassifier(
        hidden_layer_sizes=(256, 256),
        lr=3e-3,
        batch_size=32,
        input_noise=input_noise,
        max_epochs=300,
        early_stopping=False,
        validation_fraction=0.3,
        random_state=0,
    ).fit(X_train, y_train)

for name, model in models.items():
    print(
        f"{name:>17}: test accuracy {model.score(X_test, y_test):.3f}, "
        f"test log-loss {log_loss(y_test, model.predict_proba(X_test)):.3f}"
    )

# %%
# With noise the training loss (dashed) stays higher, since the net never sees the
# same row twice, and the validation loss rises less. On a hundred rows the test
# accuracy of the two can land either way; the log-loss, which also scores how
# confident the wrong answers were, shows the overfitting more clearly.
fig, ax = plt.subplots(figsize=(7, 4))
for (name, model), color in zip(models.items(), ["C0", "C1"], strict=True):
    epochs = model.history_[:, "epoch"]
    ax.plot(epochs, model.history_[:, "train_loss"], "--", color=color)
    ax.plot(epochs, model.history_[:, "valid_loss"], "-", color=color, label=name)
ax.set(xlabel="epoch", ylabel="cross-entropy (dashed: train, solid: validation)")
ax.legend()
plt.show()
