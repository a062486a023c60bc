"""World builders of the security suite: core first, then every other module here by name.

See tests/security/world.py for what a builder does and how a domain adds one.
"""

import importlib
import pkgutil

from tests.security.builders import core  # noqa: F401  (registers first)

for _mod in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    if _mod != "core":
        importlib.import_module(f"{__name__}.{_mod}")
