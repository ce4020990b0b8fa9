"""audit.yaml loading holds against hostile files: alias bombs, duplicate keys, huge files.

The resource cases run in a child process so its peak RSS is its own.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from cx_auditor import safe_yaml
from cx_auditor.cli import app
from cx_auditor.config import load_config, parse_config
from cx_auditor.errors import ConfigError
from typer.testing import CliRunner

SITE = "site:\n  base_url: http://127.0.0.1:9\n"

# Nine levels of nine aliases: 9**9 ≈ 387 million strings once expanded; about 900 bytes on disk.
BOMB = (
    SITE
    + "collect:\n  allowed_origins: &a9 ["
    + ",".join(["x"] * 9)
    + "]\n"
    + "".join(f"x{i}: &a{i - 1} [" + ",".join([f"*a{i}"] * 9) + "]\n" for i in range(9, 0, -1))
)


def _child(tmp_path: Path, text: str) -> tuple[int, str, str]:
    """``cx-audit run`` on ``text`` in a child process: (exit code, output, peak RSS in MB)."""
    cfg = tmp_path / "audit.yaml"
    cfg.write_text(text)
    script = textwrap.dedent(
        f"""
        import sys
        from typer.testing import CliRunner
        from cx_auditor.cli import app
        r = CliRunner().invoke(app, ["run", {str(cfg)!r}, "--out", {str(tmp_path / "out")!r}])
        sys.stderr.write(r.output)
        # VmHWM is this process's own peak; ru_maxrss would start from the parent's size at exec
        print(next(int(x.split()[1]) for x in open('/proc/self/status') if x.startswith('VmHWM')) // 1024)
        sys.exit(r.exit_code)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    return out.returncode, out.stderr, out.stdout.strip()


def test_an_alias_bomb_exits_2_quickly_with_bounded_memory(tmp_path: Path) -> None:
    assert len(BOMB) < 2000
    code, err, peak = _child(tmp_path, BOMB)
    assert code == 2, err
    assert "expands to more than" in err and "aliases" in err and "Traceback" not in err
    assert int(peak) < 300, f"peak RSS {peak} MB"


def test_a_recursive_alias_is_refused() -> None:
    with pytest.raises(ConfigError, match="alias refers to the mapping or list that contains it"):
        parse_config(SITE + "journeys: &j\n  - *j\n")


@pytest.mark.parametrize(
    ("text", "key", "first", "second"),
    [
        (SITE + "collect: {runs: 2}\ncollect: {runs: 3}\n", "collect", 3, 4),
        (SITE + "collect:\n  runs: 2\n  settle_ms: 10\n  runs: 9\n", "runs", 4, 6),
        (
            SITE
            + "journeys:\n  - name: buy\n    steps:\n      - goto: /a\n        label: x\n        goto: /b\n",
            "goto",
            6,
            8,
        ),
        ("site:\n  base_url: http://127.0.0.1:9\n  base_url: http://127.0.0.1:8\n", "base_url", 2, 3),
    ],
)
def test_duplicate_keys_are_errors_naming_both_lines(text: str, key: str, first: int, second: int) -> None:
    with pytest.raises(ConfigError) as err:
        parse_config(text, path="audit.yaml")
    message = str(err.value)
    assert f"the key {key!r} appears twice" in message
    assert f"on line {first} and on line {second}" in message and f"line {second}" in message


def test_merge_keys_still_work_and_override_without_being_duplicates() -> None:
    # a YAML merge key is not a duplicate of the keys it brings in
    cfg_text = SITE + "collect:\n  <<: {runs: 2, settle_ms: 10}\n  runs: 3\n"
    cfg = parse_config(cfg_text)
    assert cfg.collect.runs == 3 and cfg.collect.settle_ms == 10


def test_a_file_over_the_size_cap_exits_2_before_parsing(tmp_path: Path) -> None:
    """A 10 MB config: refused by size at once (it used to take 44 s to say 'unknown key')."""
    big = SITE + "collect:\n  allowed_origins:\n" + "    - http://127.0.0.1:1\n" * 400_000
    assert len(big) > 10_000_000
    code, err, peak = _child(tmp_path, big)
    assert code == 2, err
    assert f"larger than {safe_yaml.MAX_BYTES:,} bytes" in err and "audit.yaml" in err
    assert int(peak) < 300


def test_a_config_just_under_the_cap_loads(tmp_path: Path) -> None:
    line = "    - http://127.0.0.1:1\n"
    body = SITE + "collect:\n  allowed_origins:\n"
    body += line * ((safe_yaml.MAX_BYTES - len(body) - 100) // len(line))
    path = tmp_path / "audit.yaml"
    path.write_text(body)
    cfg = load_config(path)
    assert len(cfg.collect.allowed_origins) > 30_000


def test_run_shows_a_duplicate_key_as_one_paragraph_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "audit.yaml"
    path.write_text(SITE + "journeys: []\njourneys: []\n")
    result = CliRunner().invoke(app, ["run", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert f"{path}, line 4" in result.output and "on line 3 and on line 4" in result.output
    assert "Traceback" not in result.output
