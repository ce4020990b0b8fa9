"""Former home of link discovery, now :mod:`cx_auditor.gather.discovery` (it drives the browser).

This name is the very same module object, so imports and monkeypatching keep working.
"""

import sys

from cx_auditor.gather import discovery as _discovery

sys.modules[__name__] = _discovery
