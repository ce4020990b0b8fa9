"""Former home of the collector, kept so ``cx_auditor.collector`` imports keep working.

The collector now lives in the :mod:`cx_auditor.gather` package, one job per module.
"""

from cx_auditor.gather import (  # noqa: F401 - re-exported public names
    BROWSER_LOST,
    INTERRUPTED_BY_SIGNAL,
    REDACTED,
    TERMINATED_BY_SIGNAL,
    CollectOptions,
    Collector,
    ProgressFn,
    RunState,
    Unit,
    default_workers,
    dwell,
    page_template,
    plan_units,
    shard_slice,
)
from cx_auditor.gather.session import INSTRUMENT_JS  # noqa: F401
