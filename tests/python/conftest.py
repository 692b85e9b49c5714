"""How the Python tests are shared out between pytest-xdist workers.

`make test` runs pytest with `-n 2 --dist loadscope --no-loadscope-reorder` (README, Tests):
every test module is one work unit, and all its tests run on one worker, so a fixture of module
scope (a build of the project, a parse, the rendered review, the `mf` queries) is set up once.
Units are handed out in the order of the collection, which this file sorts slowest first: the
modules of SLOWEST_FIRST in its order (measured), then other modules with tests marked `slow`
(scenarios that build the project on data of their own), then the modules that share a module
fixture, then the rest, so that the long units start at once and short tests fill in last. To
spread independent slow tests over both workers, put them in modules of their own.

Not `--dist loadgroup` with `xdist_group` marks: pytest-xdist 3.8 groups by appending the group
to the test's node id, which pytest 9.2 no longer lets a plugin change (pytest-xdist issue 1386),
so every grouped test became a unit of its own and each worker set up the module fixture again
(the fault-injection builds ran twice). tests/python/test_xdist_scheduling.py checks that a
module's fixture is set up once under the options `make test` uses.

A plain `pytest` run (no `-n`) runs the same tests in the same order in one process. Every test
keeps its own temporary folders and databases (tmp_path), so workers never share a file they
write; what they share is only read (the databases `make test` built).

The dbt commands and `mf` queries the tests run use one DuckDB thread each (GNE_DUCKDB_THREADS,
set below; make test's own build keeps the profile's two).

At the end pytest prints the CPU seconds each module took (its worker process and the processes
it waited for, setup included), beside the wall time, slowest first: what to look at when the
suite gets slow, on a machine whose load makes wall times noisy.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Generator

import pytest

# The slowest modules, longest first, by CPU seconds measured on the test dataset (the summary
# this file prints; README, Tests). Only the scheduling order depends on it: a module missing
# here runs after these.
SLOWEST_FIRST = (
    "test_bi_concurrency.py",
    "test_fault_injection.py",
    "test_benchmark_smoke.py",
    "test_incremental_build.py",
    "test_ground_truth.py",
    "test_review.py",
    "test_bi_publish.py",
    "test_bi_publish_delta.py",
    "test_add_metric.py",
    "test_snapshots.py",
    "test_metricflow_consistency.py",
)
WIDE_SCOPES = ("module", "package", "session")
# DuckDB threads of every dbt command and `mf` the tests run, in this process or in a child
# (profiles.yml reads GNE_DUCKDB_THREADS): one, since the workers already keep the cores busy and
# on the test data a second thread per query only adds CPU. A value set outside pytest wins.
os.environ.setdefault("GNE_DUCKDB_THREADS", "1")


def _module(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[0]


def _shares_a_module_fixture(item: pytest.Item) -> bool:
    """Does the test use a fixture wider than a function that its own module defines?"""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    for definitions in info.name2fixturedefs.values():
        definition = definitions[-1]
        if definition.scope in WIDE_SCOPES and definition.baseid == _module(item):
            return True
    return False


def _rank(item: pytest.Item) -> tuple[int, int]:
    """Sort key of one test: the modules of SLOWEST_FIRST in its order, other slow tests, tests
    that share a module fixture, then the rest."""
    name = _module(item).rsplit("/", 1)[-1]
    if name in SLOWEST_FIRST:
        return (0, SLOWEST_FIRST.index(name))
    if item.get_closest_marker("slow") is not None:
        return (1, 0)
    return (2, 0) if _shares_a_module_fixture(item) else (3, 0)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Order the modules slowest first; a module takes the rank of its slowest test, and its
    tests stay together in their own order (one xdist work unit)."""
    module_rank: dict[str, tuple[int, int]] = {}
    first_seen: dict[str, int] = {}
    for index, item in enumerate(items):
        module, rank = _module(item), _rank(item)
        module_rank[module] = min(module_rank.get(module, rank), rank)
        first_seen.setdefault(module, index)
    position = {id(item): index for index, item in enumerate(items)}

    def key(item: pytest.Item) -> tuple[int, int, int, int]:
        module = _module(item)
        return (*module_rank[module], first_seen[module], position[id(item)])

    items.sort(key=key)


def _cpu_seconds() -> float:
    """CPU of this process and of the child processes it has waited for."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


CPU_MARK = pytest.StashKey[float]()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Mark the CPU clock before the test's fixtures are set up."""
    item.stash[CPU_MARK] = _cpu_seconds()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None]:
    """Put on each report (setup, call, teardown) the CPU seconds since the previous one."""
    outcome = yield
    report = outcome.get_result()
    now = _cpu_seconds()
    before = item.stash.get(CPU_MARK, now)
    report.user_properties = [*report.user_properties, ("cpu_seconds", now - before)]
    item.stash[CPU_MARK] = now


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """CPU and wall seconds per module, slowest first."""
    cpu: dict[str, float] = defaultdict(float)
    wall: dict[str, float] = defaultdict(float)
    for reports in terminalreporter.stats.values():
        for report in reports:
            if not isinstance(report, pytest.TestReport):
                continue
            module = report.nodeid.split("::", 1)[0]
            wall[module] += report.duration
            cpu[module] += dict(report.user_properties).get("cpu_seconds", 0.0)
    if not cpu:
        return
    terminalreporter.section("CPU and wall seconds per module")
    for module in sorted(cpu, key=cpu.get, reverse=True):
        terminalreporter.write_line(f"{cpu[module]:8.1f} s CPU {wall[module]:8.1f} s wall  {module}")
    terminalreporter.write_line(f"{sum(cpu.values()):8.1f} s CPU {sum(wall.values()):8.1f} s wall  in all")
