"""The documentation keeps up with the registries, and its examples run.

- Every registered component name (every registry of ``sknn._registry.REGISTRIES``,
  aliases included) appears in README.md, docs/user_guide.md and the estimators'
  docstrings.
- The generated regions of README.md and docs/user_guide.md are up to date
  (``python -m sknn._doc_tables`` rewrites them).

(Every ```python block of the documents runs: tests/test_doc_snippets.py.)
"""

from pathlib import Path

import pytest

from sknn import MLPClassifier, MLPRegressor
from sknn._doc_tables import DOCUMENTS, REGIONS, registries, region_names, render, stale_regions
from sknn.activations import Activation

ROOT = Path(__file__).resolve().parents[1]
TASKS = {"MLPClassifier": "classification", "MLPRegressor": "regression"}


def read(relative):
    return (ROOT / relative).read_text(encoding="utf-8")


def documentation_problems(texts=None, docstrings=None):
    """What the documentation misses, one line per problem (empty when complete).

    Parameters
    ----------
    texts : dict of str to str, optional
        Document name -> Markdown text (default: README.md and the user guide).
    docstrings : dict of str to str, optional
        Estimator name -> docstring (default: MLPClassifier's and MLPRegressor's).
    """
    texts = {relative: read(relative) for relative in DOCUMENTS} if texts is None else texts
    if docstrings is None:
        docstrings = {cls.__name__: cls.__doc__ for cls in (MLPClassifier, MLPRegressor)}
    problems = []
    for kind, registry in registries().items():
        for name in registry.names():  # aliases included
            canonical = registry.get(name)
            for document, text in texts.items():
                if f"`{name}`" not in text:
                    problems.append(f"{document} does not mention the {kind} `{name}`")
            for estimator, doc in docstrings.items():
                if kind == "loss" and canonical.task != TASKS[estimator]:
                    continue  # each estimator lists the losses of its task
                if f"'{name}'" not in doc:
                    problems.append(f"{estimator}'s docstring does not list the {kind} '{name}'")
    for document, text in texts.items():
        problems += [f"{document}: the generated region {region!r} is stale"
                     for region in stale_regions(text)]
    return problems


def test_every_registered_name_is_documented():
    assert documentation_problems() == []


def test_every_table_has_its_region():
    readme, guide = (region_names(read(relative)) for relative in DOCUMENTS)
    assert readme == ["components"]
    assert set(guide) == set(REGIONS) - {"components"}


def test_the_regions_are_generated_from_the_registries():
    guide = read("docs/user_guide.md")
    solvers = guide[guide.index("<!-- begin: solvers"):guide.index("<!-- end: solvers")]
    assert "| `lion` | `Lion` | `learning_rate_init=0.0001`, `beta_1=0.9`, `beta_2=0.99`" in solvers
    assert render(guide) == guide


class DummyActivation(Activation):
    """f(z) = z, registered only by the test below."""

    def forward(self, z):
        return z

    def backward(self, z, a, da):
        return da


@pytest.fixture
def isolated_registries(monkeypatch):
    """Registries restored after the test, whatever it registers."""
    for registry in registries().values():
        monkeypatch.setattr(registry, "_entries", dict(registry._entries))
        monkeypatch.setattr(registry, "_aliases", dict(registry._aliases))


def test_the_check_reports_an_undocumented_component(isolated_registries):
    registry = registries()["activation"]
    registry.register("doc_dummy", aliases=("doc_dummy_alias",))(DummyActivation)
    problems = documentation_problems()
    for name in ("doc_dummy", "doc_dummy_alias"):
        for where in ("README.md does not mention", "docs/user_guide.md does not mention",
                      "MLPClassifier's docstring", "MLPRegressor's docstring"):
            assert any(where in p and name in p for p in problems), (where, name)
    assert "README.md: the generated region 'components' is stale" in problems
    assert "docs/user_guide.md: the generated region 'activations' is stale" in problems
    # regenerated documents list it; the docstrings, built at import, still do not
    texts = {relative: render(read(relative)) for relative in DOCUMENTS}
    remaining = documentation_problems(texts)
    assert remaining and all("docstring" in p for p in remaining)


def test_the_check_reports_a_hand_edited_region():
    readme = read("README.md").replace("`leaky_relu` (negative_slope=0.01)", "`leaky_relu`")
    assert stale_regions(readme) == ["components"]
