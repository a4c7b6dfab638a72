"""The README's code and every example script run as written."""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").rglob("plot_*.py"))
# Examples on real data carry a module-level `NEEDS_DATA = True` line; they read
# ../shared/datasets (the repository's sibling) and are skipped where it is absent.
SHARED_DATASETS = ROOT.parent / "shared" / "datasets"


def _needs_data(script):
    return bool(re.search(r"^NEEDS_DATA = True\b", script.read_text(), flags=re.M))


def test_readme_python_blocks_run():
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(script, tmp_path):
    if _needs_data(script) and not SHARED_DATASETS.is_dir():
        pytest.skip(f"{script.name} needs the datasets in {SHARED_DATASETS}")
    env = {**os.environ, "MPLBACKEND": "Agg"}
    subprocess.run(
        [sys.executable, str(script)],
        check=True,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        timeout=300,
    )


# What sphinx-gallery needs to render an example, and what it cannot run.
_NOT_IN_EXAMPLES = {
    "argparse": "a module-level constant instead of a command-line argument",
    "savefig": "plt.show() (sphinx-gallery captures the figures)",
    "matplotlib.use": "nothing (the tests set MPLBACKEND=Agg)",
}


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_is_in_sphinx_gallery_form(script):
    text = script.read_text()
    docstring = ast.get_docstring(ast.parse(text), clean=False)
    assert docstring, f"{script.name}: start with a docstring (a title, a paragraph)"
    lines = [line.rstrip() for line in docstring.strip().splitlines()]
    if set(lines[0]) == {"="}:  # an optional overline
        lines = lines[1:]
    title, underline, *rest = lines
    assert title and set(underline) == {"="} and len(underline) >= len(title), (
        f"{script.name}: the docstring's first line is a title underlined with '='"
    )
    assert any(line.strip() for line in rest), f"{script.name}: add a paragraph"
    cells = re.findall(r"^# %%\n(.*)$", text, flags=re.M)
    assert cells, f"{script.name}: split the script into '# %%' cells"
    assert all(line.startswith("# ") for line in cells), (
        f"{script.name}: begin every '# %%' cell with its text as comments"
    )
    for word, instead in _NOT_IN_EXAMPLES.items():
        assert word not in text, f"{script.name}: {word} found; use {instead}"
    if "matplotlib.pyplot" in text:
        assert "plt.show()" in text, f"{script.name}: show its plots with plt.show()"


def test_every_public_name_is_documented():
    import autodl

    text = "\n".join(p.read_text() for p in (ROOT / "docs").glob("*.md"))
    missing = [
        name
        for name in autodl.__all__
        if name != "__version__" and f"`{name}" not in text
    ]
    assert not missing, f"document these in docs/: {missing}"


def _api_reference():
    """``{name: (module, page)}`` of the ``::: module.name`` lines of docs/api."""
    entries = {}
    for page in sorted((ROOT / "docs" / "api").glob("*.md")):
        for module, name in re.findall(
            r"^::: (autodl[\w.]*)\.(\w+)$", page.read_text(), flags=re.M
        ):
            entries[name] = (module, page)
    return entries


def test_every_public_name_is_in_the_api_reference():
    import importlib

    import autodl

    entries = _api_reference()
    public = [name for name in autodl.__all__ if name != "__version__"]
    missing = [name for name in public if name not in entries]
    assert not missing, f"add '::: autodl.<package>.<name>' to docs/api/: {missing}"
    for name in public:  # the documented path is the object the user imports
        module, _ = entries[name]
        assert getattr(importlib.import_module(module), name) is getattr(autodl, name)
    nav = (ROOT / "mkdocs.yml").read_text()
    pages = {page.relative_to(ROOT / "docs").as_posix() for _, page in entries.values()}
    assert all(page in nav for page in pages), "list every docs/api page in mkdocs.yml"


def test_user_guide_builds(tmp_path):
    pytest.importorskip("mkdocs", reason="the user guide needs the 'docs' extra")
    pytest.importorskip("mkdocstrings", reason="the API reference needs 'docs' too")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--site-dir",
            str(tmp_path / "site"),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert (tmp_path / "site" / "index.html").is_file()
    # the reference rendered every public name from its (filled) docstring
    for name, (module, page) in _api_reference().items():
        html = (tmp_path / "site" / "api" / page.stem / "index.html").read_text()
        assert f'id="{module}.{name}"' in html, name
        assert "{random_state}" not in html
