"""
=======================
Learning-rate schedules
=======================

A constant learning rate has to be small enough to settle into a minimum and large
enough to get there quickly. A schedule changes it during training:
``lr_schedule="step"`` divides it by ten every third of the run, ``"cosine"``
anneals it smoothly to zero, ``"cosine_restarts"`` (SGDR) anneals it in four cycles
that each restart at the initial rate, ``"one_cycle"`` warms up to the peak and
anneals back down. Each is one parameter of :class:`~autodl.neural.MLPClassifier`,
so a grid search can pick one.
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
# SGD with momentum and a high initial learning rate, with and without schedules.
models = {}
for schedule in [None, "step", "cosine", "cosine_restarts", "one_cycle"]:
    models[str(schedule)] = MLPClassifier(
        hidden_layer_sizes=(50,),
        optimizer="sgd",
        lr=0.1,
        momentum=0.9,
        batch_size=16,
        lr_schedule=schedule,
        max_epochs=40,
        early_stopping=False,
        validation_fraction=0.2,
        random_state=0,
    ).fit(X_train, y_train)

for name, model in models.items():
    print(
        f"lr_schedule={name:>15}: test accuracy {model.score(X_test, y_test):.3f}, "
        f"final validation loss {model.history_[-1, 'valid_loss']:.4f}"
    )

# %%
# The learning rate at the start of each epoch (left) and the validation loss
# (right). The schedules that decay the rate end on a steadier validation loss;
# the constant rate still jumps around in the last epochs.
fig, (ax_lr, ax_loss) = plt.subplots(1, 2, figsize=(11, 4))
for name, model in models.items():
    epochs = model.history_[:, "epoch"]
    ax_lr.plot(epochs, model.history_[:, "lr"], label=name)
    ax_loss.plot(epochs, model.history_[:, "valid_loss"], label=name)
ax_lr.set(xlabel="epoch", ylabel="learning rate")
ax_loss.set(xlabel="epoch", ylabel="validation cross-entropy", yscale="log")
ax_loss.legend(title="lr_schedule")
plt.show()
