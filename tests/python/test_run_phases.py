"""scripts/run_phases.py, which runs `make test`'s phases: order, stop on failure, background
phases waited for and counted, a start and an end line with times for every phase."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from dbt_harness import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "scripts"))
import run_phases  # noqa: E402


def _run(tmp_path: Path, *args: str) -> int:
    return run_phases.main(["--log-dir", str(tmp_path / "logs"), *args])


def test_phases_run_in_order_with_start_and_end_lines(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    trace = tmp_path / "trace"
    code = _run(tmp_path, "--phase", f"first=sh -c 'echo 1 >> {trace}'",
                "--phase", f"second=sh -c 'echo 2 >> {trace}'")
    out = capfd.readouterr().out
    assert code == 0
    assert trace.read_text().split() == ["1", "2"]
    for name in ("first", "second"):
        assert f"] {name}: start: sh -c" in out
        assert re.search(rf"\] {name}: passed in \d+ s \(CPU \d+ s\)", out), out
    assert re.search(r"\] passed: \d+ s in all: first ok", out.splitlines()[-1]), out


def test_a_failed_phase_stops_the_chain_and_fails_the_run(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    trace = tmp_path / "trace"
    code = _run(tmp_path, "--phase", "build=sh -c 'exit 3'",
                "--phase", f"pytest=sh -c 'echo ran >> {trace}'")
    out = capfd.readouterr().out
    assert code == 1
    assert not trace.exists()
    assert "build: FAILED (exit 3)" in out
    assert "FAILED (build)" in out and "pytest not run" in out


def test_a_background_phase_is_waited_for_logged_and_its_failure_counts(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    code = _run(tmp_path, "--background", "lint=sh -c 'sleep 0.5; echo a violation; exit 1'",
                "--phase", "build=true")
    out = capfd.readouterr().out
    assert code == 1
    assert (tmp_path / "logs" / "lint.log").read_text() == "a violation\n"
    assert "a violation" in out and "lint: FAILED (exit 1)" in out
    assert "FAILED (lint)" in out.splitlines()[-1]


def test_a_phase_needs_a_name_and_a_command() -> None:
    with pytest.raises(SystemExit):
        run_phases.main(["--phase", "no command here"])
