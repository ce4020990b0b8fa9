"""Which commit and branch a run audited, from the CI environment or the local checkout.

CI systems check out a detached HEAD, so ``git rev-parse --abbrev-ref HEAD``
says ``HEAD`` there; their environment variables are the reliable source and
are read first. For a pull request the branch is the PR's source branch
(``GITHUB_HEAD_REF``), which is what ``compare branch:NAME`` users mean.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["GitInfo", "detect_git"]

#: (commit variable, branch variables in order of preference) per CI system
_CI_VARIABLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("GITHUB_SHA", ("GITHUB_HEAD_REF", "GITHUB_REF_NAME")),
    ("CI_COMMIT_SHA", ("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "CI_COMMIT_REF_NAME", "CI_COMMIT_BRANCH")),
    ("BUILDKITE_COMMIT", ("BUILDKITE_BRANCH",)),
    ("CIRCLE_SHA1", ("CIRCLE_BRANCH",)),
    ("GIT_COMMIT", ("GIT_LOCAL_BRANCH", "GIT_BRANCH")),  # Jenkins
)


@dataclass(frozen=True)
class GitInfo:
    commit: str | None = None
    branch: str | None = None


def _clean_branch(name: str | None) -> str | None:
    if not name or name == "HEAD":
        return None
    for prefix in ("refs/heads/", "origin/"):
        name = name.removeprefix(prefix)
    return name or None


def _clean_commit(sha: str | None) -> str | None:
    # Buildkite may report the literal "HEAD" before it resolves the commit.
    return sha if sha and sha != "HEAD" else None


def _from_env(env: Mapping[str, str]) -> GitInfo:
    for commit_var, branch_vars in _CI_VARIABLES:
        commit = _clean_commit(env.get(commit_var))
        branch = next((b for b in (_clean_branch(env.get(v)) for v in branch_vars) if b), None)
        if commit or branch:
            return GitInfo(commit, branch)
    return GitInfo()


def _git(args: list[str], cwd: Path | None) -> str | None:
    try:
        out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def detect_git(env: Mapping[str, str] | None = None, cwd: str | os.PathLike[str] | None = None) -> GitInfo:
    """Commit and branch from CI variables, falling back to ``git rev-parse`` in ``cwd``."""
    found = _from_env(os.environ if env is None else env)
    if found.commit and found.branch:
        return found
    where = Path(cwd) if cwd is not None else None
    commit = found.commit or _git(["rev-parse", "HEAD"], where)
    branch = found.branch or _clean_branch(_git(["rev-parse", "--abbrev-ref", "HEAD"], where))
    return GitInfo(commit, branch)
