"""Helpers for the fault tests: a writer paused at a chosen step in a child process, a tiny
filesystem (tmpfs) for a full or read-only disk, and small inputs."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from healthgap.disclosure.pseudonymise import PseudonymKey

#: A fixed test key (tests only) for population imports.
KEY = PseudonymKey(b"reliability-tests-key-0123456789abcdef", "tests")

#: The child: patch `module.name` to write its pid to READY and sleep, then run SCRIPT.
_CHILD = """
import importlib, os, sys, time
module, name, ready = sys.argv[1], sys.argv[2], sys.argv[3]
def paused(*args, **kwargs):
    with open(ready + ".tmp", "w") as handle:
        handle.write(str(os.getpid()))
    os.replace(ready + ".tmp", ready)
    time.sleep(120)
setattr(importlib.import_module(module), name, paused)
exec(sys.argv[4])
"""

PEOPLE_CSV = (
    "nhs_number,sex,age,birth_month,ethnicity,lsoa21,gp_practice,registration_start,"
    "registration_end\n"
    "9434765919,M,42,,A,E01000001,M85001,2010-01-01,\n"
    "4010232137,F,30,,B,E01000002,M85002,2011-01-01,\n"
)


def nhs_numbers(count: int) -> list[str]:
    """`count` distinct valid NHS numbers (modulus 11: weights 10..2 on the first nine digits,
    check digit 11 - sum mod 11, 11 -> 0, 10 never issued), from 400 000 000 upwards."""
    numbers: list[str] = []
    stem = 400_000_000
    while len(numbers) < count:
        digits = [int(d) for d in f"{stem:09d}"]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        if check != 10:
            numbers.append(f"{stem:09d}{0 if check == 11 else check}")
        stem += 1
    return numbers


@contextlib.contextmanager
def paused_writer(patch: str, script: str, tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """A child process running `script` that stops when it calls `patch` ("module:function").

    Yields once the child is paused there (at most 60 s); the child is SIGKILLed on exit.
    """
    module, name = patch.split(":")
    ready = tmp_path / f"paused-{time.monotonic_ns()}"
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, module, name, str(ready), script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            if child.poll() is not None:
                pytest.fail(f"the writer ended before pausing: {child.communicate()[1][-2000:]}")
            if time.monotonic() > deadline:
                pytest.fail("the writer did not reach the paused step within 60 s")
            time.sleep(0.05)
        yield child
    finally:
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
        child.communicate(timeout=30)


def kill(child: subprocess.Popen[str]) -> None:
    """SIGKILL the child (no clean-up handlers run) and wait for it."""
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL


@contextlib.contextmanager
def tmpfs(path: Path, size: str, *, read_only: bool = False) -> Iterator[Path]:
    """A tmpfs of `size` mounted at `path` (skips when this process may not mount)."""
    path.mkdir(parents=True, exist_ok=True)
    options = f"size={size}" + (",ro" if read_only else "")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def remount(path: Path, *, read_only: bool) -> None:
    """Flip a mounted tmpfs between read-only and read-write."""
    mode = "ro" if read_only else "rw"
    subprocess.run(["mount", "-o", f"remount,{mode}", str(path)], check=True)


def results_frame(value: int, rows: int = 1) -> pd.DataFrame:
    """A small results table whose column `a` holds `value` on every row."""
    return pd.DataFrame({"a": [value] * rows, "b": ["x" * 50] * rows})


def hidden_entries(folder: Path) -> list[str]:
    """Names starting with "." in `folder` (staging folders, temporary pointers)."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))
