"""The top-level `healthgap` command: sub-commands are mounted from one list, import errors surface.

The old cli.py skipped a whole sub-command when importing it raised a ModuleNotFoundError naming
a healthgap module, so a broken import looked like a missing command. Each check runs in a
fresh interpreter, where a module can be made unimportable without touching this process.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from healthgap.cli import SUBCOMMANDS, app


def python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )


@pytest.mark.parametrize("broken", ["healthgap.population.cli", "healthgap.synthetic.cli"])
def test_a_sub_command_that_cannot_be_imported_is_an_error_not_a_missing_command(broken):
    # sys.modules[name] = None makes `import name` raise ModuleNotFoundError(name=name)
    ran = python(f"import sys; sys.modules[{broken!r}] = None; import healthgap.cli")
    assert ran.returncode == 1
    assert f"ModuleNotFoundError: import of {broken} halted" in ran.stderr
    assert "Traceback" in ran.stderr  # a bug: it keeps its traceback


def test_every_listed_sub_command_is_mounted_with_its_help():
    mounted = {group.name: group.help for group in app.registered_groups}
    assert mounted == {name: help_text for name, _, help_text in SUBCOMMANDS}
    assert {"data", "population", "indicators"} <= set(mounted)


def test_population_synth_is_mounted_under_population():
    result = CliRunner().invoke(app, ["population", "--help"])
    assert result.exit_code == 0, result.output
    assert "import" in result.output and "synth" in result.output
    result = CliRunner().invoke(app, ["population", "synth", "--help"])
    assert result.exit_code == 0, result.output
    assert "--england" in result.output
