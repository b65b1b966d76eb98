"""Settings of bench/measure_server.py: production settings (config.settings with
VK_ENVIRONMENT=production from the environment) with two changes — ROOT_URLCONF adds the bare
baseline view (bench/bare.py), and STATIC_ROOT points into the run's temporary directory, so the
`collectstatic` production's manifest storage needs does not write into the shared ./var."""

import os

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bare"
STATIC_ROOT = os.environ["VK_BENCH_STATIC_ROOT"]
