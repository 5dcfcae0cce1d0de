"""Django's deployment checklist (`check --deploy`) is clean under the production settings.

Production means what docs/reliability.md and scripts/serve.sh describe: HTTPS on (secure
cookies, HSTS, redirect), a real secret key from the environment and DEBUG off. The check runs in
a fresh interpreter because settings are read once per process.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest


def _deploy_check(var_dir, *, https: str) -> subprocess.CompletedProcess[str]:
    """`check --deploy` with a real secret key, DEBUG off and HEALTHGAP_HTTPS=`https`."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("HEALTHGAP_DEBUG")}
    environment.update(
        HEALTHGAP_HTTPS=https,
        HEALTHGAP_SECRET_KEY=secrets.token_urlsafe(50),
        HEALTHGAP_VAR_DIR=str(var_dir),
    )
    return subprocess.run(
        [sys.executable, "-m", "healthgap.web", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = _deploy_check(tmp_path, https="1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
def test_check_deploy_fails_without_https(tmp_path):
    """The same check is not vacuous: plain HTTP fails it (secure cookies, HSTS, redirect)."""
    result = _deploy_check(tmp_path, https="0")
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stdout + result.stderr
