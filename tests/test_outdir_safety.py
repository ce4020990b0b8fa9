"""The ``--out`` folder: one writer at a time, previous results kept until new ones are whole,
and ``check --from`` never passes a gate on nothing."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from cx_auditor import outdir
from cx_auditor.artifacts import save_artifacts
from cx_auditor.cli import app
from cx_auditor.models import Artifacts
from typer.testing import CliRunner

from tests.artifact_factory import artifacts, meta, visit
from tests.faultsite import FaultSite, wait_until


def _check(src: Path, out: Path) -> object:
    return CliRunner().invoke(app, ["check", "--from", str(src), "--out", str(out), "--no-history"])


def _holder(out: Path) -> subprocess.Popen[str]:
    """A child process that holds the lock of ``out`` until its stdin closes (at most 60 s)."""
    code = textwrap.dedent(
        f"""
        import sys, select
        from pathlib import Path
        from cx_auditor.outdir import locked
        with locked(Path({str(out)!r})):
            print("held", flush=True)
            select.select([sys.stdin], [], [], 60)
        """
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "held"
    return child


@pytest.fixture
def src(tmp_path: Path) -> Path:
    folder = tmp_path / "src" / "artifacts"
    save_artifacts(artifacts([visit("/")]), folder)
    return folder


def test_a_second_writer_exits_2_naming_the_holder(tmp_path: Path, src: Path) -> None:
    out = tmp_path / "out"
    child = _holder(out)
    try:
        r = _check(src, out)
        assert r.exit_code == 2, r.output  # type: ignore[attr-defined]
        text = r.output.replace("\n", " ")  # type: ignore[attr-defined]
        assert f"pid {child.pid} on host {socket.gethostname()}" in text and str(out) in text
        assert not (out / "scorecard.json").exists()
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(timeout=30)
    r = _check(src, out)
    assert r.exit_code == 0, r.output  # type: ignore[attr-defined]
    assert (out / "scorecard.json").exists() and not (out / outdir.LOCK_FILE).exists()


def test_a_lock_left_by_a_killed_process_is_taken_over(tmp_path: Path, src: Path) -> None:
    out = tmp_path / "out"
    child = _holder(out)
    child.kill()
    child.wait(timeout=30)
    assert json.loads((out / outdir.LOCK_FILE).read_text())["pid"] == child.pid  # left behind
    r = _check(src, out)
    assert r.exit_code == 0, r.output  # type: ignore[attr-defined]
    assert (out / "scorecard.json").exists()


@pytest.mark.parametrize("layout", ["run.json only", "empty visits.jsonl", "incomplete run.json"])
def test_check_from_on_empty_artifacts_exits_2_and_says_so(tmp_path: Path, layout: str) -> None:
    folder = tmp_path / "artifacts"
    folder.mkdir()
    if layout == "empty visits.jsonl":
        (folder / "visits.jsonl").write_text("")
    else:
        art = Artifacts(meta=meta(complete=layout == "run.json only"))
        (folder / "run.json").write_text(art.model_dump_json())
    r = _check(folder, tmp_path / "out")
    assert r.exit_code == 2, r.output  # type: ignore[attr-defined]
    assert "there is nothing to judge" in r.output  # type: ignore[attr-defined]
    assert not (tmp_path / "out" / "scorecard.json").exists()


def test_check_from_on_incomplete_artifacts_never_passes(tmp_path: Path) -> None:
    folder = tmp_path / "artifacts"
    save_artifacts(
        artifacts([visit("/")], complete=False, incomplete_reason="interrupted by SIGTERM"), folder
    )
    r = _check(folder, tmp_path / "out")
    assert r.exit_code == 130, r.output  # type: ignore[attr-defined]
    assert "stopped early (interrupted by SIGTERM)" in r.output  # type: ignore[attr-defined]
    assert json.loads((tmp_path / "out" / "scorecard.json").read_text())["meta"]["complete"] is False


def test_a_failed_gathering_keeps_the_previous_artifacts(tmp_path: Path) -> None:
    out = tmp_path / "out"
    save_artifacts(artifacts([visit("/old")]), out / "artifacts")
    before = (out / "artifacts" / "visits.jsonl").read_bytes()
    staging = outdir.Staging(out).prepare()

    def crash() -> None:
        (staging.root / "artifacts" / "visits.jsonl").write_text("")
        raise RuntimeError("the collector broke")

    with pytest.raises(RuntimeError):
        outdir.gather(staging, crash)
    assert (out / "artifacts" / "visits.jsonl").read_bytes() == before
    assert not list(out.glob(".cx-audit-*"))


def test_a_swap_cut_between_its_renames_is_recovered(tmp_path: Path) -> None:
    out = tmp_path / "out"
    save_artifacts(artifacts([visit("/old")]), out / "artifacts")
    os.replace(out / "artifacts", out / outdir.OLD_ARTIFACTS)  # killed right after the first rename
    (out / f"{outdir.STAGING_PREFIX}99999" / "artifacts").mkdir(parents=True)
    outdir.Staging(out).prepare()
    assert "/old" in (out / "artifacts" / "visits.jsonl").read_text()
    assert [p.name for p in out.glob(f"{outdir.STAGING_PREFIX}*")] == [
        f"{outdir.STAGING_PREFIX}{os.getpid()}"
    ]


def _merge(out: Path, *shards: Path) -> object:
    return CliRunner().invoke(app, ["merge", *map(str, shards), "--out", str(out), "--no-history"])


def _shards(tmp_path: Path) -> tuple[Path, Path]:
    one, two = tmp_path / "shard1", tmp_path / "shard2"
    save_artifacts(artifacts([visit("/one")], shard="1/2"), one / "artifacts")
    save_artifacts(artifacts([visit("/two")], shard="2/2"), two / "artifacts")
    return one, two


def test_merge_takes_the_lock_a_second_writer_exits_2_naming_the_holder(tmp_path: Path) -> None:
    one, two = _shards(tmp_path)
    out = tmp_path / "out"
    save_artifacts(artifacts([visit("/old")]), out / "artifacts")
    before = (out / "artifacts" / "visits.jsonl").read_bytes()
    child = _holder(out)
    try:
        r = _merge(out, one, two)
        assert r.exit_code == 2, r.output  # type: ignore[attr-defined]
        text = r.output.replace("\n", " ")  # type: ignore[attr-defined]
        assert f"pid {child.pid} on host {socket.gethostname()}" in text and str(out) in text
        assert (out / "artifacts" / "visits.jsonl").read_bytes() == before  # nothing merged into it
        assert not (out / "scorecard.json").exists()
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(timeout=30)
    r = _merge(out, one, two)
    assert r.exit_code == 0, r.output  # type: ignore[attr-defined]
    merged = (out / "artifacts" / "visits.jsonl").read_text()
    assert "/one" in merged and "/two" in merged and "/old" not in merged
    assert (out / "scorecard.json").exists() and not (out / outdir.LOCK_FILE).exists()
    assert not list(out.glob(".cx-audit-*"))


def test_merge_swaps_in_whole_artifacts_and_a_failed_merge_keeps_the_previous(tmp_path: Path) -> None:
    one, two = _shards(tmp_path)
    out = tmp_path / "out"
    save_artifacts(artifacts([visit("/old")]), out / "artifacts")
    stale = out / "artifacts" / "screenshots" / "stale.png"
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_bytes(b"an earlier run's screenshot")
    before = {p.name: p.read_bytes() for p in (out / "artifacts").rglob("*") if p.is_file()}
    r = _merge(out, one)  # shard 2/2 is missing: nothing may change
    assert r.exit_code == 2 and "is missing" in r.output, r.output  # type: ignore[attr-defined]
    assert {p.name: p.read_bytes() for p in (out / "artifacts").rglob("*") if p.is_file()} == before
    assert not list(out.glob(".cx-audit-*"))
    r = _merge(out, one, two)
    assert r.exit_code == 0, r.output  # type: ignore[attr-defined]
    # the merged folder replaced the old one whole: nothing of the earlier run is mixed in
    assert not stale.exists() and "/old" not in (out / "artifacts" / "visits.jsonl").read_text()


# --- end to end: real runs in child processes ---------------------------------------------------


def _config(tmp_path: Path, site: FaultSite, name: str, goto: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    doc = {
        "site": {"base_url": site.url},
        "channels": {"desktop": {"preset": "desktop"}},
        "collect": {"settle_ms": 50, "probe_chat": False, "probe_links": False, "timeout_ms": 30_000},
        "journeys": [{"name": name, "steps": [{"goto": goto}]}],
    }
    path.write_text(yaml.safe_dump(doc))
    return path


def _spawn(cfg: Path, out: Path, history: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cx_auditor.cli",
            "run",
            str(cfg),
            "--out",
            str(out),
            "--history",
            str(history),
            "-q",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its browser goes with it when the group is killed
    )


@pytest.mark.browser
def test_a_killed_run_leaves_the_previous_report_and_artifacts_whole(
    tmp_path: Path, browser_ok: None
) -> None:
    out, history = tmp_path / "out", tmp_path / "history.db"
    with FaultSite() as site:
        first = _spawn(_config(tmp_path, site, "first", "/ok"), out, history)
        assert first.wait(timeout=120) in (0, 1), first.stderr.read()  # type: ignore[union-attr]
        before = {
            p: (out / p).read_bytes()
            for p in ("scorecard.json", "artifacts/run.json", "artifacts/visits.jsonl")
        }
        second = _spawn(_config(tmp_path, site, "second", "/delay?ms=20000"), out, history)
        try:
            assert wait_until(lambda: site.hits["/delay"] >= 1, timeout=60), "the second run never started"
        finally:
            os.killpg(second.pid, signal.SIGKILL)
            second.wait(timeout=30)
    for rel, data in before.items():
        assert (out / rel).read_bytes() == data, f"{rel} changed under a killed run"
    assert json.loads((out / "scorecard.json").read_text())["meta"]["complete"] is True


@pytest.mark.browser
def test_two_runs_into_one_folder_never_mix(tmp_path: Path, browser_ok: None) -> None:
    out, history = tmp_path / "out", tmp_path / "history.db"
    with FaultSite() as site:
        slow = _spawn(_config(tmp_path, site, "slow", "/delay?ms=3000"), out, history)
        try:
            assert wait_until(lambda: site.hits["/delay"] >= 1, timeout=60)
            other = CliRunner().invoke(
                app,
                [
                    "run",
                    str(_config(tmp_path, site, "fast", "/ok")),
                    "--out",
                    str(out),
                    "--history",
                    str(history),
                ],
            )
            assert other.exit_code == 2, other.output
            assert f"pid {slow.pid} on host" in other.output.replace("\n", " ")
        finally:
            code = slow.wait(timeout=120)
        assert code in (0, 1), slow.stderr.read()  # type: ignore[union-attr]
    card = json.loads((out / "scorecard.json").read_text())
    assert {j["journey"] for j in card["journeys"]} == {"slow"}
    with sqlite3.connect(history) as db:
        runs = list(db.execute("select run_id from runs"))
    assert runs == [(card["run_id"],)]


def test_check_into_an_unwritable_folder_is_a_usage_error(tmp_path: Path, src: Path) -> None:
    blocker = tmp_path / "report"
    blocker.write_text("I am a file")
    r = _check(src, blocker / "sub")
    assert r.exit_code == 2 and "cannot be written" in r.output  # type: ignore[attr-defined]
