"""One way to share docstring text: the :class:`Substitution` decorator.

As in imbalanced-learn (``imblearn/utils/_docstring.py``), a docstring holds
``{name}`` placeholders and the decorator fills them. A parameter described the
same way in several classes (``random_state``, ``n_jobs``, ``device``,
``verbose``) is written once below and reused; a class adds what is its own on
the indented lines after the placeholder::

    @Substitution(random_state=_random_state_docstring)
    class Resampler(...):
        '''...

        Parameters
        ----------
        {random_state}
            It seeds the sampler.
        '''

The rendered docstrings are what ``help()`` and the API reference show (the
reference imports the modules, so it reads the filled ``__doc__``).
"""

import re
import textwrap

__all__ = ["Substitution"]

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_MAX_DEPTH = 5  # a shared text may itself hold placeholders, this deep


class Substitution:
    """Fill the ``{name}`` placeholders of a class' or function's docstring.

    A placeholder alone on its line is replaced by the text, indented as the
    placeholder was (so one text serves a class's parameters and a method's);
    inside a line it is replaced as it is. A text may hold placeholders of its
    own, filled from the same keywords. Braces that name no keyword, such as a
    type's ``{"auto", "cpu"}``, are left alone, so docstrings need no escaping.

    Parameters
    ----------
    **texts : str
        The text of each placeholder.

    Raises
    ------
    ValueError
        When a keyword names a placeholder that the docstring does not hold (a
        typo would otherwise leave ``{name}`` in the rendered text).

    Examples
    --------
    >>> from autodl.utils._docstring import Substitution
    >>> @Substitution(what="the answer")
    ... def f():
    ...     '''Return {what}.'''
    >>> f.__doc__
    'Return the answer.'
    """

    def __init__(self, **texts):
        self.texts = texts

    def __call__(self, obj):
        if obj.__doc__ is None:  # python -OO strips docstrings
            return obj
        used = set()
        doc = obj.__doc__
        for _ in range(_MAX_DEPTH):
            filled = "\n".join(self._fill_line(line, used) for line in doc.split("\n"))
            if filled == doc:
                break
            doc = filled
        unused = sorted(set(self.texts) - used)
        if unused:
            raise ValueError(
                f"Substitution got texts for {unused}, but the docstring of "
                f"{obj.__qualname__} has no such placeholder; add "
                f"{{{unused[0]}}} to it or drop the keyword."
            )
        obj.__doc__ = doc
        return obj

    def _fill_line(self, line, used):
        alone = _PLACEHOLDER.fullmatch(line.strip())
        if alone and alone.group(1) in self.texts:
            used.add(alone.group(1))
            text = textwrap.dedent(self.texts[alone.group(1)]).strip("\n")
            indent = line[: len(line) - len(line.lstrip())]
            return textwrap.indent(text, indent)

        def fill(match):
            if match.group(1) not in self.texts:
                return match.group(0)
            used.add(match.group(1))
            return self.texts[match.group(1)]

        return _PLACEHOLDER.sub(fill, line)


# The shared parameter texts. A class that needs more says so on the lines after
# its placeholder (indented as a description); a different default is a
# different parameter and is written where it is used.

_random_state_docstring = """\
random_state : int, RandomState instance or None, default=None
    Pass an int for the same result on every call; ``None`` draws from
    numpy's global random state."""

_n_jobs_docstring = """\
n_jobs : int, default=None
    Jobs run in parallel through joblib: ``None`` is 1 unless inside a
    ``joblib.parallel_backend`` context (which may run them on a Dask or Ray
    cluster), ``-1`` uses all cores."""

_device_docstring = """\
device : {"auto", "cpu", "cuda"} or "cuda:N", default="auto"
    Where torch trains: ``"auto"`` uses CUDA when torch sees a GPU, else the
    CPU. ``"cuda"`` without a GPU raises a ``ValueError``."""

_verbose_docstring = """\
verbose : int, default=0
    ``0`` is silent; higher values report more progress, through logging and
    progress bars (never ``print``)."""

_feature_attributes_docstring = """\
n_features_in_ : int
    Number of features seen in ``fit``.
feature_names_in_ : ndarray of shape (n_features_in_,)
    Names of features seen in ``fit``, when ``X`` was a DataFrame."""
