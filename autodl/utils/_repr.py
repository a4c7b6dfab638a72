"""The HTML diagram of autodl's meta-estimators: their members, drawn."""

try:
    from sklearn.utils._repr_html.estimator import _VisualBlock
except ImportError:  # scikit-learn < 1.7
    from sklearn.utils._estimator_html_repr import _VisualBlock

__all__ = ["members_block"]


def _pairs(members):
    """``(names, estimators)`` of a list of pairs, a dict, or a string option."""
    if isinstance(members, str):
        return (members,), (members,)
    items = members.items() if isinstance(members, dict) else members
    pairs = [(str(item[0]), item[1]) for item in items]
    if not pairs:
        return (), ()
    names, estimators = zip(*pairs, strict=True)
    return names, tuple("passthrough" if e is None else e for e in estimators)


def members_block(*groups):
    """A ``_VisualBlock``: each group of members side by side, the groups in series.

    scikit-learn's HTML diagram (``estimator_html_repr``, a notebook's display)
    calls an estimator's ``_sk_visual_block_``; for meta-estimators whose
    members sit in a list (``estimators``, ``models``) it finds none by itself.

    Parameters
    ----------
    *groups : list of (name, estimator), dict, or str
        The members, in the order the data meets them (``"default"`` and other
        string options are drawn as their text).

    Returns
    -------
    block : _VisualBlock

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> members_block([("lr", LogisticRegression())]).kind
    'parallel'
    """
    blocks = []
    for group in groups:
        names, estimators = _pairs(group)
        if estimators:
            blocks.append(
                _VisualBlock("parallel", estimators, names=names, dash_wrapped=False)
            )
    if len(blocks) == 1:
        return blocks[0]
    return _VisualBlock("serial", blocks, dash_wrapped=False)
