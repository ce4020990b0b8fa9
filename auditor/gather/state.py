"""What the parts of one gathering run share: explicit collaborators, no back-references.

The collector builds one :class:`RunState` and hands it to each journey runner and
page reader; none of them knows the collector.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cx_auditor.artifacts import ArtifactWriter
from cx_auditor.config import Collect
from cx_auditor.gather.guards import OriginGuard
from cx_auditor.gather.probes import ChatProber, LinkProber
from cx_auditor.gather.redaction import Redactor
from cx_auditor.requirements import Requirements

__all__ = ["RunState"]


@dataclass
class RunState:
    writer: ArtifactWriter
    redact: Redactor
    guard: OriginGuard
    settings: Collect
    requirements: Requirements = field(default_factory=Requirements)
    links: LinkProber | None = None
    chat: ChatProber | None = None
    #: did any server answer at all (a run where none did is "unreachable", exit 3)
    reached_any: bool = False
    shot_counter: int = 0
    #: the CLI's progress callback (``event, data``); ``None`` when nobody listens
    progress: Callable[[str, dict[str, Any]], None] | None = None

    def report(self, event: str, **data: Any) -> None:
        """Tell the progress display what a worker is doing; a display error never stops a run."""
        if self.progress is not None:
            try:
                self.progress(event, data)
            except Exception:  # noqa: BLE001 - progress is cosmetic
                pass

    def __post_init__(self) -> None:
        if self.links is None:
            self.links = LinkProber(self.settings, self.requirements)
        if self.chat is None:
            self.chat = ChatProber(self.settings, self.redact)
