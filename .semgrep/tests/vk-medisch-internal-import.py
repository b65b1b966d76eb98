# Semgrep test for vk-medisch-internal-import (MD-2): run with `semgrep --test .semgrep`.
import importlib

from django.apps import apps

# ok: vk-medisch-internal-import
from medisch.public import released_advice

# ok: vk-medisch-internal-import
from medisch import public

# ok: vk-medisch-internal-import
import medisch.public

# ruleid: vk-medisch-internal-import
from medisch.models import Consult

# ruleid: vk-medisch-internal-import
from medisch import models

# ruleid: vk-medisch-internal-import
from medisch import actions as medisch_actions

# ruleid: vk-medisch-internal-import
import medisch.queries

# ruleid: vk-medisch-internal-import
import medisch.crypto as crypto

# ruleid: vk-medisch-internal-import
from medisch.management.commands import rotate_medical_keys

# ruleid: vk-medisch-internal-import
from medisch.models_keuring import Keuring

# ok: vk-medisch-internal-import
from verzuim.models import Werknemer


def sneaky():
    # ruleid: vk-medisch-internal-import
    importlib.import_module("medisch.models")
    # ruleid: vk-medisch-internal-import
    apps.get_model("medisch", "Consult")
    # ok: vk-medisch-internal-import
    importlib.import_module("verzuim.models")
    return released_advice, public, Consult, models, medisch_actions, crypto, Keuring, Werknemer


# ruleid: vk-medisch-internal-import
from medisch import public, models_documents

# ruleid: vk-medisch-internal-import
import medisch
