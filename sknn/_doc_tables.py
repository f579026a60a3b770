"""Markdown tables of the components, generated from the registries.

Every table row comes from a registered class: its name and aliases, its
class, its hyperparameters with their defaults (``get_params()``) and the
first paragraph of its docstring, so that the README and the user guide
cannot forget or misdescribe a component. The documents mark the generated
regions::

    <!-- begin: solvers (generated: python -m sknn._doc_tables) -->
    ...
    <!-- end: solvers -->

and ``python -m sknn._doc_tables`` rewrites them in README.md and
docs/user_guide.md (``--check`` only reports the stale ones and exits with 1);
``tests/test_docs.py`` fails when a region is stale.
"""

import argparse
import inspect
import re
import sys
from pathlib import Path

from ._docstrings import defaults, summary
from ._registry import REGISTRIES, _load_registries
from .initializers import AUTO_BY_FAMILY

ROOT = Path(__file__).resolve().parents[1]
#: the documents with generated regions, relative to the repository's root
DOCUMENTS = ("README.md", "docs/user_guide.md")

BEGIN = "<!-- begin: {name} (generated: python -m sknn._doc_tables) -->"
END = "<!-- end: {name} -->"
_REGION = re.compile(
    r"<!-- begin: (?P<name>[\w-]+) \(generated[^)]*\) -->\n(?P<body>.*?)<!-- end: (?P=name) -->",
    re.DOTALL,
)


# ------------------------------------------------------------ introspection
def registries():
    """Every registry, keyed as ``sknn.register`` takes them, all modules loaded."""
    _load_registries()
    return REGISTRIES


def entries(kind, where=None):
    """``(name, aliases, class)`` of the registered components of one kind, sorted."""
    registry = registries()[kind]
    return [
        (name, registry.aliases_of(name), cls)
        for name, cls in registry.items()
        if where is None or where(cls)
    ]


# ---------------------------------------------------------------- markdown
def _markdown(text):
    """Docstring text as Markdown: ``code`` as `code`, pipes escaped for tables."""
    return text.replace("``", "`").replace("|", r"\|")


def _names(name, aliases):
    """`name` (`alias`, ...)."""
    label = f"`{name}`"
    return f"{label} ({', '.join(f'`{a}`' for a in aliases)})" if aliases else label


def _class(cls, module):
    """The class name, with its module when it lives outside ``module``."""
    if cls.__module__ == module:
        return f"`{cls.__name__}`"
    return f"`{cls.__module__}.{cls.__name__}`"


def _hyperparameters(cls, *, code=True):
    params = defaults(cls)
    items = [f"{key}={value!r}" for key, value in params.items()]
    if code:
        return ", ".join(f"`{item}`" for item in items) or "-"
    return ", ".join(items)


def table(header, rows):
    """A Markdown table from a header and rows of cells."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


#: the component tables: region -> (registry key, module, filter, extra columns)
KINDS = {
    "activations": (
        "activation", "sknn.activations", None,
        {"`weight_init='auto'` draws": lambda cls: f"`{AUTO_BY_FAMILY[cls.recommended_init]}`"},
    ),
    "initializers": ("initializer", "sknn.initializers", None, {}),
    "classification-losses": (
        "loss", "sknn.losses", lambda cls: cls.task == "classification", {},
    ),
    "regression-losses": ("loss", "sknn.losses", lambda cls: cls.task == "regression", {}),
    "solvers": ("optimizer", "sknn.optimizers", None, {"driver": lambda cls: f"`{cls.driver}`"}),
    "schedules": ("schedule", "sknn.schedules", None, {}),
    "averaging": ("averaging", "sknn.averaging", None, {}),
}


def component_table(region):
    """The table of one kind of component (a key of ``KINDS``)."""
    kind, module, where, extra = KINDS[region]
    header = ["name (aliases)", "class", "hyperparameters (defaults)", *extra, "summary"]
    rows = [
        [
            _names(name, aliases),
            _class(cls, module),
            _hyperparameters(cls),
            *(column(cls) for column in extra.values()),
            _markdown(summary(cls)),
        ]
        for name, aliases, cls in entries(kind, where)
    ]
    preamble = f"Classes of `{module}`; a name builds its class with these defaults."
    return preamble + "\n\n" + table(header, rows)


def drivers_table():
    """What each training driver supports (``sknn.training.drivers``)."""
    from .training.drivers import DRIVERS, FEATURES, _load_drivers

    _load_drivers()

    solvers = {}
    for name, _, cls in entries("optimizer"):
        solvers.setdefault(cls.driver, []).append(f"`{name}`")

    def cell(driver, feature):
        if feature in driver.supports:
            return "yes"
        return "ignored" if feature in driver.ignores else "no"

    header = ["driver", "solvers", "one task of `set_callbacks` per",
              *(f"`{feature}`" for feature in FEATURES)]
    rows = [
        [f"`{name}`", ", ".join(solvers.get(name, [])) or "-", driver.task_name,
         *(cell(driver, feature) for feature in FEATURES)]
        for name, driver in sorted(DRIVERS.items())
    ]
    return table(header, rows)


#: the estimator parameter each kind of component is given to
PARAMETER_OF = {
    "activation": "activation",
    "initializer": "weight_init",
    "loss": "loss",
    "optimizer": "solver",
    "schedule": "learning_rate",
    "averaging": "averaging",
}


def flat_parameters_table():
    """scikit-learn's flat parameters and the component hyperparameters they set."""
    from ._components import FLAT_PARAMETERS
    from ._estimators import MLPClassifier

    signature = inspect.signature(MLPClassifier).parameters
    rows = []
    for flat in FLAT_PARAMETERS:
        targets = []
        for kind in registries():
            takers = [
                f"`{name}` ({defaults(cls)[flat]!r})"
                for name, _, cls in entries(kind)
                if flat in defaults(cls)
            ]
            if takers:
                targets.append(f"`{PARAMETER_OF.get(kind, kind)}`: " + ", ".join(takers))
        rows.append([f"`{flat}`", f"`{signature[flat].default!r}`", "; ".join(targets)])
    header = ["flat parameter", "scikit-learn's default",
              "sets the hyperparameter of (the component's own default)"]
    return table(header, rows)


def _options(kind, where=None):
    """`name` / `alias` (hyperparameter=default, ...), comma-separated."""
    options = []
    for name, aliases, cls in entries(kind, where):
        label = " / ".join(f"`{n}`" for n in (name, *aliases))
        hyperparameters = _hyperparameters(cls, code=False)
        options.append(f"{label} ({hyperparameters})" if hyperparameters else label)
    return ", ".join(options)


def components_overview():
    """The README's table: every component parameter and its options."""
    rows = [
        ["hidden activations (one, or one per layer)", "`activation`", _options("activation")],
        ["weight initialization", "`weight_init`",
         "`auto` (each activation's recommended family: see the user guide), "
         + _options("initializer")],
        ["classification loss", "`loss` (MLPClassifier)",
         _options("loss", lambda cls: cls.task == "classification")],
        ["regression loss", "`loss` (MLPRegressor)",
         _options("loss", lambda cls: cls.task == "regression")],
        ["solvers", "`solver`", _options("optimizer")],
        ["learning-rate schedules", "`learning_rate`", _options("schedule")],
        ["parameter averaging", "`averaging`", "None (off), " + _options("averaging")],
    ]
    return table(["concept", "parameter", "options (hyperparameters with their defaults)"], rows)


#: every generated region: name -> function returning its Markdown
REGIONS = {
    **{region: (lambda region=region: component_table(region)) for region in KINDS},
    "drivers": drivers_table,
    "flat-parameters": flat_parameters_table,
    "components": components_overview,
}


# ---------------------------------------------------------------- documents
def region_names(text):
    """Names of the generated regions of a document, in order."""
    return [match.group("name") for match in _REGION.finditer(text)]


def render(text):
    """``text`` with every generated region regenerated.

    Raises
    ------
    KeyError
        For a region that ``REGIONS`` does not know.
    """

    def replace(match):
        name = match.group("name")
        if name not in REGIONS:
            raise KeyError(f"Unknown generated region {name!r}; known: {sorted(REGIONS)}.")
        return f"{BEGIN.format(name=name)}\n{REGIONS[name]()}\n{END.format(name=name)}"

    return _REGION.sub(replace, text)


def stale_regions(text):
    """Names of the regions of ``text`` whose content differs from the generated one."""
    current = {m.group("name"): m.group(0) for m in _REGION.finditer(text)}
    fresh = {m.group("name"): m.group(0) for m in _REGION.finditer(render(text))}
    return [name for name in current if current[name] != fresh[name]]


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m sknn._doc_tables",
        description="Regenerate the component tables of README.md and docs/user_guide.md.",
    )
    parser.add_argument("--check", action="store_true",
                        help="only report stale regions; exit with 1 if there are any")
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="the repository's root (default: %(default)s)")
    args = parser.parse_args(argv)
    stale = []
    for relative in DOCUMENTS:
        path = args.root / relative
        text = path.read_text(encoding="utf-8")
        names = stale_regions(text)
        stale += [f"{relative}: {name}" for name in names]
        if names and not args.check:
            path.write_text(render(text), encoding="utf-8")
        print(f"{relative}: {len(region_names(text))} regions, "
              f"{'stale: ' + ', '.join(names) if names else 'up to date'}"
              f"{' (rewritten)' if names and not args.check else ''}")
    return 1 if stale and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
