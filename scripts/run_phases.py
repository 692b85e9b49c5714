"""Run the phases of `make test`, each between a start line and an end line with its times.

Foreground phases (--phase) run one after the other, their output streamed, and a failed one
stops the chain. Background phases (--background) start at once beside them, their output in
<log-dir>/<name>.log, printed with their end line when they finish, wherever the foreground has
got to. The run waits for every phase it started, ends with a summary line, and exits 1 if any
phase failed.

Each end line gives the wall time and the CPU seconds (user + system) of the phase's whole
process tree, so a slow phase can be told apart from a busy machine. A phase is NAME=COMMAND,
the command split as a shell would (no shell runs it).
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

PRINT_LOCK = threading.Lock()


@dataclass
class Phase:
    name: str
    command: list[str]
    background: bool
    started: float = 0.0
    seconds: float | None = None
    cpu_seconds: float | None = None
    exit_code: int | None = None
    log: Path | None = None
    done: threading.Event = field(default_factory=threading.Event)

    @property
    def passed(self) -> bool:
        return self.exit_code == 0


def say(text: str) -> None:
    """One progress line, never interleaved with another of ours."""
    with PRINT_LOCK:
        print(f"==> [{time.strftime('%H:%M:%S')}] {text}", flush=True)


def parse_phase(text: str, background: bool) -> Phase:
    name, separator, command = text.partition("=")
    if not separator or not name.strip() or not command.strip():
        raise argparse.ArgumentTypeError(f"a phase is NAME=COMMAND, not {text!r}")
    return Phase(name.strip(), shlex.split(command), background)


def log_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") + ".log"


def wait_for(phase: Phase, process: subprocess.Popen[bytes], output: IO[bytes] | None) -> None:
    """Reap the phase's process with its resource use, then print its end line."""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if output is not None:
        output.close()
    phase.exit_code = process.returncode
    phase.seconds = time.monotonic() - phase.started
    phase.cpu_seconds = usage.ru_utime + usage.ru_stime
    outcome = "passed" if phase.passed else f"FAILED (exit {phase.exit_code})"
    with PRINT_LOCK:
        if phase.log is not None:
            print(f"\n==> {phase.name}: output ({phase.log})", flush=True)
            sys.stdout.write(phase.log.read_text(errors="replace"))
        print(f"==> [{time.strftime('%H:%M:%S')}] {phase.name}: {outcome} in {phase.seconds:.0f} s"
              f" (CPU {phase.cpu_seconds:.0f} s)", flush=True)
    phase.done.set()


def start(phase: Phase, log_dir: Path) -> subprocess.Popen[bytes]:
    """Start a phase; a background phase writes to its log file."""
    output = None
    where = ""
    if phase.background:
        log_dir.mkdir(parents=True, exist_ok=True)
        phase.log = log_dir / log_name(phase.name)
        output = phase.log.open("wb")
        where = f" (in the background; output in {phase.log})"
    say(f"{phase.name}: start{where}: {shlex.join(phase.command)}")
    phase.started = time.monotonic()
    errors = subprocess.STDOUT if output is not None else None
    process = subprocess.Popen(phase.command, stdout=output, stderr=errors)
    threading.Thread(target=wait_for, args=(phase, process, output), daemon=True).start()
    return process


def summary(phases: list[Phase], started: float) -> str:
    parts = []
    for phase in phases:
        if phase.exit_code is None:
            parts.append(f"{phase.name} not run")
        else:
            state = "ok" if phase.passed else "FAILED"
            parts.append(f"{phase.name} {state} {phase.seconds:.0f} s (CPU {phase.cpu_seconds:.0f} s)")
    total = time.monotonic() - started
    return f"{total:.0f} s in all: " + "; ".join(parts)


def run(foreground: list[Phase], background: list[Phase], log_dir: Path) -> int:
    started = time.monotonic()
    processes = [start(phase, log_dir) for phase in background]
    try:
        for phase in foreground:
            processes.append(start(phase, log_dir))
            phase.done.wait()
            if not phase.passed:
                break
        for phase in background:
            phase.done.wait()
    except KeyboardInterrupt:
        for process in processes:
            if process.returncode is None:
                process.terminate()
        raise
    phases = [*background, *foreground]
    failed = [phase.name for phase in phases if phase.exit_code not in (0, None)]
    verdict = f"FAILED ({', '.join(failed)})" if failed else "passed"
    say(f"{verdict}: {summary(phases, started)}")
    return 1 if failed else 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phase", action="append", default=[], metavar="NAME=COMMAND",
                        type=lambda text: parse_phase(text, background=False),
                        help="a foreground phase; they run in the order given")
    parser.add_argument("--background", action="append", default=[], metavar="NAME=COMMAND",
                        type=lambda text: parse_phase(text, background=True),
                        help="a phase started at once beside the foreground ones")
    parser.add_argument("--log-dir", type=Path, default=Path("build") / "test-logs",
                        help="where background phases write their output (build/test-logs)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.phase and not args.background:
        raise SystemExit("no phase given")
    return run(args.phase, args.background, args.log_dir)


if __name__ == "__main__":
    raise SystemExit(main())
