"""Settings of the load run: the production settings (config.settings, VK_ENVIRONMENT=production)
with one change — STATIC_ROOT points into the run's temporary directory, so `collectstatic`
(needed by the manifest storage production uses) does not write into the shared ./var of the
checkout. Everything else comes from the environment exactly as in production."""

import os

from config.settings import *  # noqa: F403

STATIC_ROOT = os.environ["VK_LOAD_STATIC_ROOT"]
