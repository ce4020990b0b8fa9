"""cx-auditor: an omnichannel customer-experience consistency auditor.

The public surface is small; everything else is internal and may change.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
