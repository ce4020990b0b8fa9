"""Gathering: the one package that drives a browser.

Everything after it (checks, budgets, reports, history) works on the recorded
artifacts. One job per module, collaborators passed explicitly:

- :mod:`.collector` -- plans units, runs them through one browser, handles
  signals and browser loss, writes the artifacts (:class:`Collector`).
- :mod:`.session` -- launching/connecting the browser, one configured context per unit.
- :mod:`.guards` -- keeping the browser on the audited origins.
- :mod:`.steps` -- the step interpreter (one journey in one context).
- :mod:`.failures` -- why a step failed, in words; which network errors are retried.
- :mod:`.reader` -- reading a page: content, metrics, what checks asked for, screenshots.
- :mod:`.probes` -- link-status and chat-launcher probes.
- :mod:`.discovery` -- breadth-first crawl of same-site pages (``--discover N``).
- :mod:`.redaction` -- secrets out of every artifact, note and trace.
- :mod:`.convert` -- pure converters (metrics from raw entries, interaction merging,
  unit planning, shard slicing), unit-tested without a browser.
- :mod:`.state` -- what one run's parts share.

What checks need gathered is declared in :mod:`cx_auditor.requirements`.
"""

from cx_auditor.gather.collector import (
    BROWSER_LOST,
    INTERRUPTED_BY_SIGNAL,
    TERMINATED_BY_SIGNAL,
    CollectOptions,
    Collector,
    ProgressFn,
    default_workers,
)
from cx_auditor.gather.convert import Unit, page_template, plan_units, shard_slice
from cx_auditor.gather.reader import dwell, read_discovered
from cx_auditor.gather.redaction import REDACTED, Redactor, secret_variants
from cx_auditor.gather.state import RunState

__all__ = [
    "BROWSER_LOST",
    "INTERRUPTED_BY_SIGNAL",
    "REDACTED",
    "TERMINATED_BY_SIGNAL",
    "CollectOptions",
    "Collector",
    "ProgressFn",
    "Redactor",
    "RunState",
    "Unit",
    "default_workers",
    "dwell",
    "page_template",
    "plan_units",
    "read_discovered",
    "secret_variants",
    "shard_slice",
]
