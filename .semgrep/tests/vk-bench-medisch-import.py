# Semgrep test for vk-bench-medisch-import (MD-2): run with `semgrep --test .semgrep`.
# bench/ is no package, so the import contract does not see it; this rule does.

# ok: vk-bench-medisch-import
from medisch.public import released_advice

# ok: vk-bench-medisch-import
from medisch import public

# ok: vk-bench-medisch-import
import medisch.public

# ruleid: vk-bench-medisch-import
from medisch.models import Consult

# ruleid: vk-bench-medisch-import
from medisch import models

# ruleid: vk-bench-medisch-import
from medisch import actions as medisch_actions

# ruleid: vk-bench-medisch-import
import medisch.queries

# ruleid: vk-bench-medisch-import
from medisch.actions.keuring import record_keuring

# ok: vk-bench-medisch-import
from verzuim.models import Werknemer

# ruleid: vk-bench-medisch-import
from medisch import public, storage

# ruleid: vk-bench-medisch-import
import medisch

USED = (released_advice, public, Consult, models, medisch_actions, record_keuring, Werknemer, storage)
