"""The GitHub Action (action.yml) run locally, step by step, against the demo store.

Each ``run:`` step is executed with bash, as the runner would: ``${{ inputs.* }}``
in the step's ``env`` are filled from the action's inputs (or defaults),
``${{ steps.audit.outputs.* }}`` from what the Audit step wrote to
``$GITHUB_OUTPUT``, lines written to ``$GITHUB_ENV`` are exported to the later
steps, and ``if:`` conditions are evaluated for the forms the action uses.
``uses:`` steps (upload-artifact) belong to GitHub and are only checked for
their wiring. The install step really pip-installs a copy of this checkout into a
fresh virtualenv; its runtime dependencies are taken from the test environment through a
``.pth`` file, so only the build backend comes from the package index (or pip's cache).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
ACTION = ROOT / "action.yml"
_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")

pytestmark = pytest.mark.browser


def load_action() -> dict[str, Any]:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def _expr(text: str, inputs: dict[str, str], outputs: dict[str, str]) -> str:
    def sub(m: re.Match[str]) -> str:
        ref = m.group(1)
        if ref.startswith("inputs."):
            return inputs[ref.removeprefix("inputs.")]
        if ref.startswith("steps.audit.outputs."):
            return outputs.get(ref.removeprefix("steps.audit.outputs."), "")
        raise AssertionError(f"expression {ref!r} is not handled by this local runner")

    return _EXPR.sub(sub, text)


def _condition(cond: str | None, inputs: dict[str, str]) -> bool:
    if cond is None:
        return True
    result = True
    for part in (p.strip() for p in cond.split("&&")):
        if part == "always()":
            continue
        m = re.fullmatch(r"inputs\.([\w-]+) == '([^']*)'", part)
        assert m, f"condition {part!r} is not handled by this local runner"
        result = result and inputs[m.group(1)] == m.group(2)
    return result


def _read_kv(path: Path) -> dict[str, str]:
    pairs = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "=" in line:
            key, value = line.split("=", 1)
            pairs[key] = value
    return pairs


class LocalRunner:
    """The runner's side of a job: the action's checkout, RUNNER_TEMP and the GITHUB_* files."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.checkout = tmp / "action-checkout"  # the action's own checkout, as GitHub lays it out
        files = subprocess.run(
            ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
        for rel in files.splitlines():
            if (ROOT / rel).is_file():
                (self.checkout / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / rel, self.checkout / rel)
        self.runner_temp = tmp / "runner-temp"
        self.runner_temp.mkdir()
        # pre-create the venv the install step would create, seeing this environment's packages
        self.venv = self.runner_temp / "cx-audit-venv"
        subprocess.run([sys.executable, "-m", "venv", str(self.venv)], check=True)
        site = Path(sysconfig.get_paths(vars={"base": str(self.venv), "platbase": str(self.venv)})["purelib"])
        (site / "test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
        self.github_env = tmp / "github_env"
        self.github_env.touch()

    def run(self, with_: dict[str, str], workdir: Path, *, steps: set[str] | None = None) -> dict[str, Any]:
        """Run the action's steps (all, or those named in ``steps``) like the runner does."""
        action = load_action()
        inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
        inputs.update(with_)
        job = Path(tempfile.mkdtemp(dir=self.tmp))
        files = {name: job / name for name in ("github_output", "github_path", "step_summary")}
        for f in files.values():
            f.touch()
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")},
            "GITHUB_ACTION_PATH": str(self.checkout),
            "RUNNER_TEMP": str(self.runner_temp),
            "GITHUB_ENV": str(self.github_env),
            "GITHUB_OUTPUT": str(files["github_output"]),
            "GITHUB_PATH": str(files["github_path"]),
            "GITHUB_STEP_SUMMARY": str(files["step_summary"]),
            "CX_AUDIT_DISABLE_PLUGIN_AUTOLOAD": "1",
        }
        codes: dict[str, int] = {}
        uses: list[dict[str, Any]] = []
        outputs: dict[str, str] = {}
        for step in action["runs"]["steps"]:
            if steps is not None and step["name"] not in steps:
                continue
            if not _condition(step.get("if"), inputs):
                continue
            if "uses" in step:
                uses.append(step)
                continue
            assert step["shell"] == "bash"
            assert "${{" not in step["run"], f"{step['name']}: expressions inside run: are an injection risk"
            step_env = {**env, **_read_kv(self.github_env)}
            step_env.update({k: _expr(str(v), inputs, outputs) for k, v in step.get("env", {}).items()})
            proc = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                cwd=workdir,
                env=step_env,
                capture_output=True,
                text=True,
                timeout=600,
            )
            codes[step["name"]] = proc.returncode
            if step.get("id") == "audit":
                outputs = _read_kv(files["github_output"])
            if proc.returncode and step["name"] != "Gate":
                raise AssertionError(
                    f"step {step['name']!r} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
                )
        return {
            "codes": codes,
            "outputs": outputs,
            "summary": files["step_summary"].read_text(encoding="utf-8"),
            "uses": uses,
        }


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory, browser_ok: None) -> LocalRunner:
    """The action's install step, run once for the module's scenarios."""
    local = LocalRunner(tmp_path_factory.mktemp("action"))
    result = local.run({"install-browser": "false"}, local.tmp, steps={"Install cx-auditor"})
    assert result["codes"] == {"Install cx-auditor": 0}
    assert (local.venv / "bin" / "cx-audit").is_file()  # installed from the action's checkout
    assert f"CX_AUDIT_BIN={local.venv}/bin/cx-audit" in local.github_env.read_text(encoding="utf-8")
    return local


AFTER_INSTALL = {"Audit", "Upload the report", "Job summary", "Gate"}


def test_action_metadata_is_a_composite_with_documented_inputs() -> None:
    action = load_action()
    assert action["runs"]["using"] == "composite"
    for name, spec in action["inputs"].items():
        assert spec.get("description"), name
    names = [s["name"] for s in action["runs"]["steps"]]
    assert names == ["Install cx-auditor", "Audit", "Upload the report", "Job summary", "Gate"]
    upload = action["runs"]["steps"][2]
    assert upload["uses"].startswith("actions/upload-artifact@")
    assert upload["with"]["path"] == "${{ inputs.out }}"
    for output in action["outputs"].values():
        assert output["value"].startswith("${{ steps.audit.outputs.")


def _demo_config(tmp: Path, url: str, budgets: str) -> Path:
    from cx_auditor.demo import documents_dir
    from cx_auditor.demo_config import demo_yaml

    cfg = tmp / "audit.yaml"
    text = demo_yaml(url, "flawed", documents_dir("flawed"))
    # Keep the run small, as this test is about the action's steps, not the audit: the purchase
    # journey (whose forced account and extra fields fail the gate) on desktop only, no probes.
    small = text.replace("  mobile:\n    preset: mobile\n    throttling: none\n", "")
    small = re.sub(r"\n  - name: browse-and-help\n.*?(?=\nchecks:)", "\n", small, flags=re.S)
    small = small.replace(
        "collect:\n  runs: 1\n", "collect:\n  runs: 1\n  probe_chat: false\n  probe_links: false\n"
    )
    assert small.count("- name:") == 1 and "probe_links: false" in small and "mobile" not in small, small
    cfg.write_text(small + budgets, encoding="utf-8")
    return cfg


def test_action_audits_the_flawed_demo_and_gates_it(runner: LocalRunner, tmp_path: Path) -> None:
    from cx_auditor.demo import DemoStore

    with DemoStore("flawed") as store:
        _demo_config(tmp_path, store.url, "")
        hard = runner.run(
            {"args": "--fail-under 99 --no-history --format json,md,sarif"}, tmp_path, steps=AFTER_INSTALL
        )
        out = hard["outputs"]
        assert out["exit-code"] == "1" and out["passed"] == "false"
        assert out["grade"] in "ABCDF" and 0 <= float(out["score"]) < 99
        assert hard["codes"]["Gate"] == 1  # the job fails on the gate...
        assert hard["codes"]["Job summary"] == 0  # ...after the summary was written
        report = tmp_path / out["report-dir"]
        assert (report / "report.sarif").is_file() and (report / "scorecard.json").is_file()
        assert hard["summary"] == (report / "summary.md").read_text(encoding="utf-8")  # once, by the action
        assert [s["name"] for s in hard["uses"]] == ["Upload the report"]

        # fail-on-gate: false tolerates the failed gate (a one-page audit with an impossible budget)
        (tmp_path / "one-page.yaml").write_text(
            f"site: {{base_url: '{store.url}'}}\nchannels: {{desktop: {{preset: desktop}}}}\n"
            "journeys: [{name: home, steps: [{goto: /}]}]\n"
            "collect: {screenshots: {mode: off}, probe_chat: false, probe_links: false}\n"
            # no page paints in under a microsecond: the gate fails whatever the score
            "budgets: {metrics: [{metric: load_time.lcp_ms, max: 0.001}]}\n",
            encoding="utf-8",
        )
        soft = runner.run(
            {
                "config": "one-page.yaml",
                "upload": "false",
                "fail-on-gate": "false",
                "args": "--no-history --format md,json",
            },
            tmp_path,
            steps=AFTER_INSTALL,
        )
        assert soft["outputs"]["exit-code"] == "1" and soft["codes"]["Gate"] == 0
        assert soft["uses"] == []  # upload: false skips the upload step

    # a usage error always fails the job, and no stale summary from the runs above is published
    broken = runner.run(
        {"upload": "false", "fail-on-gate": "false", "config": "missing.yaml", "args": "--no-history"},
        tmp_path,
        steps=AFTER_INSTALL,
    )
    assert broken["outputs"]["exit-code"] == "2" and broken["codes"]["Gate"] == 2
    assert "wrote no summary" in broken["summary"]
