"""Test helpers for the population tests: the fixed key and import day, CSV writing."""

from __future__ import annotations

import hmac
from datetime import date
from pathlib import Path

TODAY = date(2025, 6, 30)
SECRET = b"population-tests-key-0123456789abcdef"


def pseudonym(number: str) -> str:
    """Expected pseudonym, from the standard library's HMAC-SHA256 (truncated to 32 hex)."""
    return hmac.new(SECRET, number.encode("ascii"), "sha256").hexdigest()[:32]


def write_csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_main(monkeypatch, capsys, *args: str) -> tuple[int | str | None, str]:
    """Run `healthgap ARGS` through the real entry point; (exit code, stderr)."""
    import sys

    import pytest

    from healthgap.cli import main

    monkeypatch.setattr(sys, "argv", ["healthgap", *args])
    with pytest.raises(SystemExit) as exited:
        main()
    return exited.value.code, capsys.readouterr().err
