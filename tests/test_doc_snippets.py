"""Every ```python block of README.md, CONTRIBUTING.md and docs/*.md runs as written.

Each block runs on its own, in a fresh namespace, so that a reader can copy any
one of them. Two markers, an HTML comment on the line just before a block
(invisible on GitHub and on the site), say otherwise, and should stay rare:

- ``<!-- snippet: continued -->``: the block goes on from the one before it on
  the same page and runs in that block's namespace;
- ``<!-- snippet: skip (why) -->``: the block is not run (say why).

Blocks in other languages (```bash, ```sh) are never run.
"""

import re
import textwrap
import warnings
from pathlib import Path

import pytest
from sklearn.exceptions import ConvergenceWarning

from sknn import DivergenceWarning

from .test_docs import isolated_registries  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(  # at any indentation (a block inside a list item)
    r"^(?P<indent> *)(?:<!-- snippet: (?P<marker>[\w-]+)[^>]*-->\n(?P=indent))?"
    r"```python\n(?P<code>.*?)^(?P=indent)```$",
    re.DOTALL | re.MULTILINE,
)
MARKERS = {"continued", "skip"}


def python_blocks(path):
    """(first line number, marker or None, code) of every ```python block of a Markdown file."""
    text = path.read_text(encoding="utf-8")
    return [
        (text[:m.start("code")].count("\n") + 1, m.group("marker"),
         textwrap.dedent(m.group("code")))
        for m in BLOCK.finditer(text)
    ]


def chains(path):
    """The blocks of a page grouped into what runs in one namespace: [(line, code), ...]."""
    groups = []
    for line, marker, code in python_blocks(path):
        assert marker in MARKERS | {None}, f"{path.name}:{line}: unknown marker {marker!r}"
        if marker == "skip":
            continue
        if marker == "continued":
            assert groups, f"{path.name}:{line}: 'continued' on the first block"
            groups[-1].append((line, code))
        else:
            groups.append([(line, code)])
    return groups


CASES = [(path, group) for path in PAGES if path.exists() for group in chains(path)]


def run_blocks(path, group):
    namespace = {"__name__": f"{path.stem}_snippet"}
    for line, code in group:
        # line numbers in tracebacks are the page's
        exec(compile("\n" * (line - 1) + code, str(path), "exec"), namespace)


def test_the_pages_have_snippets():
    counts = {path.name: len(python_blocks(path)) for path in PAGES if path.exists()}
    assert counts["README.md"] >= 2 and counts["user_guide.md"] >= 20
    assert counts["diagnostics.md"] >= 4 and counts["search_and_ensembles.md"] >= 5


def test_markers_are_read(tmp_path):
    text = "intro\n<!-- snippet: skip (needs a GPU) -->\n```python\nraise\n```\n" \
           "```python\nx = 1\n```\n- a list item:\n  <!-- snippet: continued -->\n" \
           "  ```python\n  assert x == 1\n  ```\n"
    path = tmp_path / "page.md"
    path.write_text(text)
    assert [marker for _, marker, _ in python_blocks(path)] == ["skip", None, "continued"]
    (group,) = chains(path)
    assert [line for line, _ in group] == [7, 12]  # the first line of each code
    run_blocks(path, group)


@pytest.mark.parametrize(
    "path, group", CASES,
    ids=[f"{path.relative_to(ROOT)}:{group[0][0]}" for path, group in CASES],
)
def test_snippet_runs(path, group, isolated_registries, capsys):  # noqa: F811
    codes = "".join(code for _, code in group)
    if "sklearn.callback" in codes:
        pytest.importorskip("sklearn.callback")
    if "ProgressBar" in codes:
        pytest.importorskip("rich")
    if "distributed" in codes or "dask" in codes:
        pytest.importorskip("distributed")
    if "matplotlib" in codes:
        pytest.importorskip("matplotlib")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", DivergenceWarning)  # the batch-norm block shows one
        run_blocks(path, group)
