"""Net topologies as values of ``hidden_layer_sizes``: depth x width x shape."""

__all__ = ["hidden_layer_space"]

SHAPES = ("constant", "funnel", "diamond")
_MIN_WIDTH = 8


def _layer_sizes(depth, width, shape):
    if shape == "constant":
        return (width,) * depth
    if shape == "funnel":  # halve the width at every layer
        return tuple(max(_MIN_WIDTH, width >> i) for i in range(depth))
    # diamond: fan out to ``width`` in the middle, then back in, halving per step
    ends = [min(i, depth - 1 - i) for i in range(depth)]
    peak = max(ends)
    return tuple(max(_MIN_WIDTH, width >> (peak - e)) for e in ends)


def hidden_layer_space(depths=(1, 2, 3), widths=(64, 128, 256), shapes=SHAPES):
    """Values of ``hidden_layer_sizes`` for a topology search: depth x width x shape.

    A search over net topologies stays a search over one flat parameter,
    ``hidden_layer_sizes``: this lists its values, one tuple per combination of
    depth, width and shape (duplicates removed: at depth 1 every shape is the same
    net). ``default_models`` uses it for the ``mlp`` search space.

    Parameters
    ----------
    depths : iterable of int, default=(1, 2, 3)
        Numbers of hidden layers.
    widths : iterable of int, default=(64, 128, 256)
        The widest layer of each net.
    shapes : iterable of {"constant", "funnel", "diamond"}, \
default=("constant", "funnel", "diamond")
        ``"constant"``: every layer has the width; ``"funnel"``: the first layer
        has it and each next layer half of the one before; ``"diamond"`` (fan out,
        then in): the middle layer(s) have it and the width halves at each step
        towards either end. No layer is narrower than 8 units (or the width, when
        that is smaller).

    Returns
    -------
    sizes : list of tuple of int
        Sorted by depth, then by number of units.

    Examples
    --------
    >>> from autodl.neural import hidden_layer_space
    >>> hidden_layer_space(depths=(3,), widths=(64,))
    [(64, 32, 16), (32, 64, 32), (64, 64, 64)]
    """
    from autodl.utils import check_option

    sizes = set()
    for shape in shapes:
        check_option("shapes", shape, SHAPES)
        for depth in depths:
            for width in widths:
                depth, width = int(depth), int(width)
                if depth < 1 or width < 1:
                    raise ValueError(
                        f"depths and widths must be positive integers; got "
                        f"depth={depth}, width={width}."
                    )
                sizes.add(
                    tuple(min(width, w) for w in _layer_sizes(depth, width, shape))
                )
    return sorted(sizes, key=lambda s: (len(s), sum(s), s))
