"""Fitted tables kept as plain arrays, so a fitted estimator persists safely.

A pandas DataFrame cannot go through ``skops.io`` (its internals are Cython
objects), and a pickle of it ties the model file to the pandas version. A fitted
attribute declared as a :class:`TableAttribute` is stored as a dict of numpy
arrays and rebuilt into a DataFrame each time it is read.
"""

import pandas as pd

__all__ = ["TableAttribute"]


class TableAttribute:
    """A fitted DataFrame attribute, stored as ``{"columns": [...], "attrs": {...}}``.

    Assigning a DataFrame stores its columns as ``(name, ndarray)`` pairs and its
    ``attrs``; reading builds a new DataFrame (a change to it is not kept).
    Before it is assigned, reading raises ``AttributeError`` as for any fitted
    attribute.

    Examples
    --------
    >>> import pandas as pd
    >>> class Model:
    ...     table_ = TableAttribute()
    >>> model = Model()
    >>> model.table_ = pd.DataFrame({"model": ["a", "b"], "score": [0.9, 0.8]})
    >>> sorted(vars(model)["_table_stored"])
    ['attrs', 'columns']
    >>> model.table_["score"].tolist()
    [0.9, 0.8]
    """

    def __set_name__(self, owner, name):
        self.name = name
        self.key = f"_{name.rstrip('_')}_stored"

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        try:
            stored = obj.__dict__[self.key]
        except KeyError:
            raise AttributeError(
                f"{type(obj).__name__!r} object has no attribute {self.name!r}"
            ) from None
        columns = stored["columns"]
        frame = pd.DataFrame(dict(columns), columns=[n for n, _ in columns])
        frame.attrs.update(stored["attrs"])
        return frame

    def __set__(self, obj, frame):
        obj.__dict__[self.key] = {
            "columns": [(str(name), frame[name].to_numpy()) for name in frame.columns],
            "attrs": dict(frame.attrs),
        }
