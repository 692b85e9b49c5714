"""`make test`'s pytest options keep a module's tests on one worker: a module fixture (a build
of the project) is set up once, not once per worker.

A small suite in tmp_path, with this directory's conftest.py, is run with the pytest-xdist
options of the Makefile's PYTEST_ARGS: one module whose tests share a module fixture that writes
a line per setup, and one module of independent tests. Under `--dist loadgroup` with pytest 9.2
and pytest-xdist 3.8 the fixture was set up on both workers (conftest.py says why).
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from dbt_harness import REPO_ROOT

SHARED_MODULE = '''
import os
from pathlib import Path

import pytest

LOG = Path(__file__).with_name("events.log")


def _log(line: str) -> None:
    with LOG.open("a") as handle:
        handle.write(line + "\\n")


@pytest.fixture(scope="module")
def built():
    _log(f"setup {os.environ.get('PYTEST_XDIST_WORKER', 'main')}")
    return 1


@pytest.mark.slow
@pytest.mark.parametrize("case", range(6))
def test_shared(built, case):
    _log(f"shared {os.environ.get('PYTEST_XDIST_WORKER', 'main')}")
'''

OTHER_MODULE = '''
import time


def test_one():
    time.sleep(0.2)


def test_two():
    time.sleep(0.2)


def test_three():
    time.sleep(0.2)
'''


def _makefile_pytest_options() -> list[str]:
    """The options of PYTEST_ARGS as `make test` passes them, without the test folder."""
    result = subprocess.run(
        ["make", "-s", "--no-print-directory", "--eval",
         "print-pytest-args: ; @echo $(PYTEST_ARGS)", "print-pytest-args"],
        cwd=REPO_ROOT, capture_output=True, text=True, check=True,
    )
    words = shlex.split(result.stdout.strip())
    assert words[0] == "tests/python", words
    return words[1:]


def test_a_module_fixture_is_set_up_once_under_make_tests_xdist_options(tmp_path: Path) -> None:
    options = _makefile_pytest_options()
    if "-n" not in options:
        pytest.skip("PYTEST_WORKERS=0: make test runs pytest in one process")
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "conftest.py").write_text((Path(__file__).with_name("conftest.py")).read_text())
    (suite / "pytest.ini").write_text("[pytest]\nmarkers =\n    slow: a scenario\n")
    (suite / "test_shared.py").write_text(SHARED_MODULE)
    (suite / "test_other.py").write_text(OTHER_MODULE)

    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *options, str(suite)],
        cwd=suite, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "9 passed" in result.stdout, result.stdout[-2000:]
    events = (suite / "events.log").read_text().split("\n")
    setups = [line for line in events if line.startswith("setup ")]
    workers = {line.split()[1] for line in events if line.startswith("shared ")}
    assert len(setups) == 1, setups
    assert workers == {setups[0].split()[1]}, workers
    assert setups[0].split()[1].startswith("gw"), setups
