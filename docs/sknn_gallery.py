"""sphinx-gallery hooks of the documentation: run each example in its quick
mode and embed the figures it saves.

The examples save their figures to ``--out DIR`` and close them, so the
gallery's image scraper collects the PNGs from that folder rather than from
matplotlib's open figures. ``docs/conf.py`` names these hooks by their
qualified names (``"sknn_gallery.quick_argv"``), which keeps Sphinx's
configuration picklable (and the build incremental).
"""

import os
import shutil
import tempfile
from pathlib import Path

#: where each example saves its figures during a build (one folder per example)
FIGURES = Path(os.environ.get("SKNN_GALLERY_FIGURES") or tempfile.gettempdir()) / "sknn_gallery"


def _folder(src_file):
    return FIGURES / Path(src_file).stem


def quick_argv(sphinx_gallery_conf, script_vars):
    """The command line of every example in the gallery: ``--quick --out DIR``."""
    out = _folder(script_vars["src_file"])
    shutil.rmtree(out, ignore_errors=True)  # only this run's figures
    out.mkdir(parents=True)
    return ["--quick", "--out", str(out)]


def saved_figures(block, block_vars, gallery_conf):
    """Image scraper: the PNGs the example saved to its ``--out`` folder."""
    from sphinx_gallery.scrapers import figure_rst

    folder = _folder(block_vars["src_file"])
    images = []
    saved = sorted(folder.glob("*.png")) if folder.is_dir() else []
    for path, target in zip(saved, block_vars["image_path_iterator"]):
        shutil.copyfile(path, target)
        path.unlink()  # each figure once, if the script has several blocks
        images.append(str(target))
    return figure_rst(images, gallery_conf["src_dir"])
