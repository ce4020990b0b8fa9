"""Configs shipped with the tool: the demo store's audit and the `init` starter."""

from __future__ import annotations

from pathlib import Path

from cx_auditor.config import AuditConfig, parse_config

TEMPLATES = Path(__file__).with_name("templates")


def demo_yaml(
    base_url: str, variant: str, documents: Path, *, mobile_throttling: str = "none", spa: bool = False
) -> str:
    """The demo audit as YAML text; ``spa`` picks the single-page-app store's journeys."""
    text = (TEMPLATES / ("spa.audit.yaml" if spa else "demo.audit.yaml")).read_text(encoding="utf-8")
    return text.format(
        base_url=base_url, variant=variant, documents=str(documents), mobile_throttling=mobile_throttling
    )


def demo_config(
    base_url: str, variant: str, *, work_dir: Path | None = None, spa: bool = False
) -> AuditConfig:
    """The audit of the built-in demo store at ``base_url`` (its SPA mode when ``spa``)."""
    from cx_auditor.demo import documents_dir

    # The SPA mode seeds no document defects: its documents are the consistent ones.
    text = demo_yaml(base_url, variant, documents_dir("clean" if spa else variant), spa=spa)
    path = (work_dir or Path(".")) / ("spa.audit.yaml" if spa else "demo.audit.yaml")
    return parse_config(text, path=str(path))


def starter_config(base_url: str) -> str:
    return (TEMPLATES / "starter.audit.yaml").read_text(encoding="utf-8").format(base_url=base_url)
