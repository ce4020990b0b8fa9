"""A third-party check asks the collector for page data through the entry point group, end to end.

The plugin is installed as a real distribution (dist-info + module on sys.path), found
through ``cx_auditor.checks`` like any plugin, declares requirements from its options,
and judges what the collector gathered for it in a real browser on the demo store.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cx_auditor import registry
from cx_auditor.config import parse_config
from cx_auditor.pipeline import AuditOptions, audit

from tests.test_registry_and_runner import install_plugin

HEADINGS_SRC = """
from cx_auditor.checks_api import Check, LinkProbe, PageScript, Requirements, SelectorText, finding


def _category_link(link):
    return "/category/" in link.href


class PluginCheck(Check):
    id = "page_facts"
    title = "Page facts"
    description = "Every page has one main heading and declares its language (a third-party example)."
    default_options = {"heading": "h1", "probe_categories": True}
    # Needed whatever the options: the page's declared language, read by a page script.
    LANG = PageScript("page_facts.lang", "() => document.documentElement.lang")
    requires = Requirements(page_scripts=(LANG,))

    def requirements(self, options):
        return Requirements(
            selector_texts=(SelectorText("page_facts.heading", options["heading"]),),
            page_scripts=self.requires.page_scripts,
            link_probes=(
                (LinkProbe("page_facts.categories", _category_link),) if options["probe_categories"] else ()
            ),
        )

    def run(self, artifacts, options):
        findings = []
        pages = [v for v in artifacts.visits if not v.discovered]
        for v in pages:
            headings = v.extracted.get("page_facts.heading", [])
            if len(headings) != 1:
                message = f"{len(headings)} main headings"
                findings.append(finding(self.id, "heading", "warn", message, url=v.url))
            if not v.gathered.get("page_facts.lang"):
                findings.append(finding(self.id, "lang", "warn", "no declared language", url=v.url))
        status = artifacts.link_status
        broken = [u for u, s in status.items() if "/category/" in u and (s is None or s >= 400)]
        for url in broken:
            findings.append(finding(self.id, "category-link", "fail", "a category link is broken", url=url))
        score = 100 * (1 - len(findings) / max(1, 2 * len(pages)))
        return self.result(score=score, findings=findings, metrics={"pages": len(pages)})
"""

AUDIT = """
site: {{base_url: "{base}"}}
channels: {{desktop: {{preset: desktop}}}}
collect: {{settle_ms: 100, probe_chat: false, screenshots: {{mode: "off"}}}}
checks:
  page_facts: {{heading: "main h1"}}
journeys:
  - name: browse
    steps:
      - goto: /
      - click: "[data-testid=category-tile] >> nth=0"
      - goto: /help
"""


@pytest.mark.browser
def test_a_plugin_check_gets_the_page_data_it_declared(
    browser_ok: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cx_auditor.demo import DemoStore

    install_plugin(tmp_path, monkeypatch, "page_facts", HEADINGS_SRC, dist="cx_page_facts")
    assert registry.discover()["page_facts"].source == "cx_page_facts"
    out = tmp_path / "out"
    with DemoStore("clean") as store:
        cfg = parse_config(AUDIT.format(base=store.url), path=str(tmp_path / "audit.yaml"))
        result = audit(cfg, AuditOptions(out=out, formats=("json",), record_history=False))
        base = store.url
    visits = [v for v in result.artifacts.visits if not v.discovered]
    assert [v.url.removeprefix(base) for v in visits][:1] == ["/"] and len(visits) == 3
    # What the plugin asked for, gathered on every page: its selector (from its options), its script.
    for v in visits:
        assert v.gathered["page_facts.lang"] == "en"
        assert len(v.extracted["page_facts.heading"]) == 1 and v.extracted["page_facts.heading"][0].strip()
    # Its link predicate was served: category links probed, though no built-in check asks for them;
    # the support check's own help link is probed too.
    probed = result.artifacts.link_status
    assert any("/category/" in url and status == 200 for url, status in probed.items())
    assert probed.get(f"{base}/help") == 200
    facts = result.scorecard.result("page_facts")
    assert facts is not None and facts.error is None and facts.score == 100 and not facts.findings
