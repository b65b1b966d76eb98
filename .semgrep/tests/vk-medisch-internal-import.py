# Semgrep test for vk-medisch-internal-import (MD-2): run with `semgrep --test .semgrep`.
# Import statements are the import contract's (pyproject, md2-medisch-public); this rule sees
# what the contract cannot: a medical module or model reached by name at run time.
import importlib
from importlib import import_module

from django.apps import apps


def sneaky():
    # ruleid: vk-medisch-internal-import
    importlib.import_module("medisch.models")
    # ruleid: vk-medisch-internal-import
    import_module("medisch.actions.keuring")
    # ruleid: vk-medisch-internal-import
    __import__("medisch")
    # ruleid: vk-medisch-internal-import
    apps.get_model("medisch", "Consult")
    # ruleid: vk-medisch-internal-import
    apps.get_model("medisch.Consult")
    # ok: vk-medisch-internal-import
    importlib.import_module("medisch.public")
    # ok: vk-medisch-internal-import
    importlib.import_module("verzuim.models")
    # ok: vk-medisch-internal-import
    return apps.get_model("verzuim", "Werknemer")
