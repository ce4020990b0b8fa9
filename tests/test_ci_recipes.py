"""The CI recipes in docs/ci only use subcommands and flags the CLI really has.

Commands are pulled out of every ``run:``/``script:`` string of the YAML files
and checked against the Click command tree Typer builds from ``auditor.cli.app``,
so renaming a flag without updating the docs fails here.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
RECIPES = [ROOT / "docs" / "ci" / "github-actions.yml", ROOT / "docs" / "ci" / "gitlab-ci.yml"]
_EXPR = re.compile(r"\$\{\{.*?\}\}|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?")


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def cx_commands(path: Path) -> list[list[str]]:
    """Every ``cx-audit ...`` invocation in the file, as argv lists (CI expressions replaced by ``X``)."""
    out = []
    for text in _strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
        text = text.replace("\\\n", " ")
        for segment in re.split(r"\n|&&|\|\||;|\|", text):
            segment = _EXPR.sub("X", segment).strip()
            if not segment.startswith("cx-audit"):
                continue
            argv = shlex.split(segment.split(">", 1)[0])
            out.append(argv[1:])
    return out


@pytest.fixture(scope="module")
def cli() -> Any:
    try:
        from cx_auditor.cli import app
    except Exception as exc:  # noqa: BLE001 - any import failure means "not written yet"
        pytest.skip(f"cx_auditor.cli is not importable yet ({type(exc).__name__}: {exc})")
    import typer.main

    return typer.main.get_command(app)


@pytest.mark.parametrize("path", RECIPES, ids=lambda p: p.name)
def test_recipe_is_valid_yaml_with_commands(path: Path) -> None:
    commands = cx_commands(path)
    assert commands, f"{path.name} runs no cx-audit command"
    assert any(c[:1] == ["run"] and "--fail-under" in c for c in commands), "the gate is not used"


@pytest.mark.parametrize("path", RECIPES, ids=lambda p: p.name)
def test_recipe_commands_use_existing_subcommands_and_flags(path: Path, cli: Any) -> None:
    for argv in cx_commands(path):
        cmd = cli  # Typer vendors Click: duck-type groups by their ``commands`` mapping
        args = list(argv)
        while isinstance(getattr(cmd, "commands", None), dict) and args and not args[0].startswith("-"):
            name = args.pop(0)
            assert name in cmd.commands, f"{path.name}: unknown subcommand {name!r} in {argv}"
            cmd = cmd.commands[name]
        flags = {
            opt
            for p in cmd.params
            for opt in (*p.opts, *getattr(p, "secondary_opts", ()))
            if opt.startswith("-")
        }
        flags.add("--help")
        for token in args:
            if token.startswith("-") and token != "-":
                flag = token.split("=", 1)[0]
                assert flag in flags, f"{path.name}: {' '.join(argv)!r} uses {flag}, unknown to `{cmd.name}`"


def test_parser_finds_multiline_and_chained_commands(tmp_path: Path) -> None:
    recipe = tmp_path / "ci.yml"
    recipe.write_text(
        "job:\n  script:\n    - >-\n      cx-audit run a.yaml\n      --out ${{ env.X }}\n"
        "    - echo hi && cx-audit merge a b --quiet || true\n"
    )
    assert cx_commands(recipe) == [["run", "a.yaml", "--out", "X"], ["merge", "a", "b", "--quiet"]]
