"""Built-in demo storefront ("Northwind Outfitters") for trying and testing the auditor.

>>> from auditor.demo import DemoStore
>>> with DemoStore("flawed") as store:
...     print(store.url)            # doctest: +SKIP

``clean`` has no defects; ``flawed`` has every entry of :data:`SEEDED_DEFECTS`,
the ground truth the auditor's checks are measured against.  :func:`documents_dir`
gives the brand's non-web touchpoints (emails, SMS, app listing, chatbot answers).
"""

from .defects import CHECKS, SEEDED_DEFECTS, SPA_DEFECTS, Defect, defects_for, spa_defects_for
from .documents import documents_dir
from .store import VARIANTS, DemoStore

__all__ = [
    "DemoStore",
    "SEEDED_DEFECTS",
    "SPA_DEFECTS",
    "Defect",
    "documents_dir",
    "defects_for",
    "spa_defects_for",
    "CHECKS",
    "VARIANTS",
]
