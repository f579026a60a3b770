"""Sphinx configuration of sknn's documentation site.

Build it from the repository's root with::

    python -m sphinx -W -b html docs build

The pages are Markdown (MyST); the API reference is generated from the
numpydoc docstrings of the modules listed in ``API_MODULES`` (each module's
``__all__``, or for a component module without one its component classes);
the gallery runs ``examples/*.py`` in their ``--quick`` mode with
sphinx-gallery and embeds the figures each script saves.
"""

import inspect
import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path[:0] = [str(ROOT), str(DOCS)]  # sknn, and sknn_gallery's hooks
os.environ.setdefault("MPLBACKEND", "Agg")

import sknn  # noqa: E402
from sknn._doc_tables import registries  # noqa: E402

project = "sknn"
author = "the sknn developers"
copyright = "the sknn developers"
release = version = sknn.__version__

extensions = [
    "myst_parser",
    "numpydoc",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx_gallery.gen_gallery",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
templates_path = ["_templates"]
exclude_patterns = ["_build", "api/generated/*.examples", "auto_examples/*.ipynb",
                    "auto_examples/*.py", "auto_examples/*.zip", "auto_examples/*.json",
                    "auto_examples/*.md5", "auto_examples/*.pickle"]

# ------------------------------------------------------------------ MyST
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3  # [text](page.md#a-heading) links resolve
suppress_warnings = ["myst.header"]  # pages that start below h1 (none today) stay quiet

# ------------------------------------------------------------------ API reference
#: (module, title) of every page of the API reference, in the order shown.
#: A new public module is one more line here; a new public name of a listed
#: module appears by itself (from its ``__all__``).
API_MODULES = [
    ("sknn", "Estimators and training"),
    ("sknn.diagnostics", "Diagnostics: gradient check, sanity checks, activations"),
    ("sknn.plotting", "Plots of training"),
    ("sknn.search", "Hyperparameter search"),
    ("sknn.ensemble", "Snapshot ensembles"),
    ("sknn.out_of_core", "Out-of-core training"),
    ("sknn.persistence", "Saving and loading (skops)"),
    ("sknn.tabular", "Tabular defaults"),
    ("sknn.preprocessing", "Preprocessing"),
    ("sknn.tabular_layers", "Layers of the tabular recipe"),
    ("sknn.numeric_embeddings", "Numeric embeddings (numeric_embedding=)"),
    ("sknn.parametric_activation", "Parametric activations (activation='parametric')"),
    ("sknn.shared_ensemble", "Ensembles with shared weights (member_weights='shared')"),
    ("sknn.data_init", "Data-dependent initialization (data_init=)"),
    ("sknn.activations", "Activations (activation=)"),
    ("sknn.initializers", "Weight initializers (weight_init=)"),
    ("sknn.losses", "Losses (loss=)"),
    ("sknn.optimizers", "Solvers (solver=)"),
    ("sknn.schedules", "Learning-rate schedules (learning_rate=)"),
    ("sknn.averaging", "Parameter averaging (averaging=)"),
]


def public_names(module):
    """The documented names of ``module``: its ``__all__`` without submodules and
    dunders, else (a component module) every public component class defined in it."""
    if hasattr(module, "__all__"):
        names = [n for n in module.__all__ if not n.startswith("__")]
        return [n for n in names if not inspect.ismodule(getattr(module, n))]
    bases = tuple(r.base for r in registries().values())
    return sorted(
        name for name, obj in vars(module).items()
        if not name.startswith("_") and inspect.isclass(obj) and issubclass(obj, bases)
        and obj.__module__ == module.__name__
    )


def _kind(obj):
    if inspect.isclass(obj):
        return "exceptions" if issubclass(obj, BaseException) else "classes"
    return "functions" if callable(obj) else "data"


KIND_TITLES = {"classes": "Classes", "functions": "Functions", "exceptions": "Exceptions"}


def write_api_pages():
    """docs/api/*.rst (generated, not committed): one page per module of ``API_MODULES``."""
    import importlib

    out = DOCS / "api"
    out.mkdir(exist_ok=True)
    pages = []
    for modname, title in API_MODULES:
        module = importlib.import_module(modname)
        groups = {}
        data = []
        for name in public_names(module):
            kind = _kind(getattr(module, name))
            (data if kind == "data" else groups.setdefault(kind, [])).append(name)
        lines = [f"``{modname}``: {title}", "=" * (len(modname) + len(title) + 6), "",
                 f".. automodule:: {modname}", "   :no-members:", "",
                 f".. currentmodule:: {modname}", ""]
        for kind in ("classes", "functions", "exceptions"):
            if kind in groups:
                lines += [KIND_TITLES[kind], "-" * len(KIND_TITLES[kind]), "",
                          ".. autosummary::", "   :toctree: generated", "   :nosignatures:", ""]
                lines += [f"   {name}" for name in groups[kind]] + [""]
        if data:
            lines += ["Constants", "---------", ""]
            lines += [f".. autodata:: {name}\n   :no-value:\n" for name in data]
        text = "\n".join(lines)
        path = out / f"{modname}.rst"
        if not path.exists() or path.read_text() != text:  # keep builds incremental
            path.write_text(text)
        pages.append(modname)
    index = "\n".join([
        "API reference", "=============", "",
        "Every public class and function, from its docstring. The component modules",
        "hold the classes that the estimators' component parameters take by name or",
        "as objects (the :doc:`user guide <../user_guide>` has their tables).", "",
        ".. toctree::", "   :maxdepth: 1", "", *[f"   {page}" for page in pages], "",
    ])
    if not (out / "index.rst").exists() or (out / "index.rst").read_text() != index:
        (out / "index.rst").write_text(index)


write_api_pages()

autosummary_generate = True
autosummary_imported_members = True
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_typehints = "none"  # numpydoc's Parameters sections say the types
autodoc_member_order = "groupwise"
numpydoc_show_class_members = False  # the class template lists the members
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False


def skip_scikit_learn_members(app, what, name, obj, skip, options):
    """Document sknn's own members: not those inherited from scikit-learn's bases
    (``get_params``, ``set_fit_request``, ...), whose docstrings link into
    scikit-learn's site."""
    defined = getattr(obj, "fget", obj)  # a property's getter says where it comes from
    if (getattr(defined, "__module__", None) or "").startswith("sklearn"):
        return True
    return None


# ------------------------------------------------------------------ gallery
sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/[a-z][a-z_]*\.py$",  # run every example ...
    "ignore_pattern": r"_common\.py$",  # ... except the shared helpers
    "reset_argv": "sknn_gallery.quick_argv",  # docs/sknn_gallery.py
    "image_scrapers": ("sknn_gallery.saved_figures",),
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    "show_memory": False,
    "plot_gallery": "True",
}

# ------------------------------------------------------------------ HTML
html_theme = "pydata_sphinx_theme"
html_title = f"sknn {version}"
html_static_path = []
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 4,
    "icon_links": [],
}
# single pages have no section navigation: no empty left column
html_sidebars = {page: [] for page in ("index", "user_guide", "diagnostics", "search_and_ensembles",
                                       "architecture", "contributing", "changelog")}
html_show_sourcelink = False


def setup(app):
    app.connect("autodoc-skip-member", skip_scikit_learn_members)
    return {"parallel_read_safe": True}

