"""`make audit`: known vulnerabilities in the Python and npm dependencies (pip-audit, npm audit).

Fails (exit 1) on any finding that is not accepted in `.ci/audit-allow.txt`, whose lines are
`<advisory id> <reason>` (the reason is required; `#` starts a comment). An advisory service
that cannot be reached, or that answers with an error instead of a report (e.g. a registry
mirror without npm's audit endpoint), is reported as a loud WARNING and does not fail the run:
the audit then says plainly that it did not check that ecosystem. See docs/reliability.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOW_FILE = ROOT / ".ci" / "audit-allow.txt"


def allowed() -> dict[str, str]:
    """Accepted advisory ids and the reason given for each."""
    accepted: dict[str, str] = {}
    if not ALLOW_FILE.exists():
        return accepted
    for number, line in enumerate(ALLOW_FILE.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        advisory, _, reason = line.partition(" ")
        if not reason.strip():
            sys.exit(f"{ALLOW_FILE}:{number}: {advisory} needs a reason after the id.")
        accepted[advisory] = reason.strip()
    return accepted


def python_findings() -> list[tuple[str, str]] | None:
    """(advisory id and aliases, package==version) per finding; None if not checked."""
    command = [str(ROOT / ".venv/bin/pip-audit"), "--skip-editable", "--format", "json",
               "--progress-spinner", "off"]  # fmt: skip
    run = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        print(f"WARNING: pip-audit did not produce a report (not checked): {run.stderr[-500:]}")
        return None
    findings = []
    for dependency in report.get("dependencies", []):
        for vuln in dependency.get("vulns", []):
            ids = " ".join([vuln["id"], *vuln.get("aliases", [])])
            findings.append((ids, f"{dependency['name']}=={dependency.get('version')}"))
    print(f"pip-audit: {len(report.get('dependencies', []))} packages, {len(findings)} findings")
    return findings


def npm_findings() -> list[tuple[str, str]] | None:
    """(advisory id or URL, package) per npm finding; None if not checked."""
    run = subprocess.run(["npm", "audit", "--json"], cwd=ROOT, capture_output=True, text=True,
                         check=False, timeout=300)  # fmt: skip
    try:
        report = json.loads(run.stdout or "{}")
    except json.JSONDecodeError:
        report = {}
    if "error" in report or "vulnerabilities" not in report:
        reason = report.get("error", {}).get("summary") or run.stderr.strip()[-300:]
        print(f"WARNING: npm audit could not query advisories (not checked): {reason}")
        return None
    findings = []
    for name, entry in report["vulnerabilities"].items():
        for via in entry.get("via", []):
            if isinstance(via, dict):
                advisory = str(via.get("url") or via.get("source"))
                findings.append((advisory, f"{name} ({via.get('severity')})"))
    print(f"npm audit: {len(findings)} findings")
    return findings


def main() -> int:
    accepted = allowed()
    failures = []
    for findings in (python_findings(), npm_findings()):
        for ids, package in findings or []:
            hit = next((a for a in ids.split() if a in accepted), None)
            if hit:
                print(f"accepted: {package} {hit}: {accepted[hit]}")
            else:
                failures.append(f"{package}: {ids}")
    for failure in failures:
        print(f"VULNERABLE: {failure}")
    if failures:
        print(f"Fix these, or accept one with a reason in {ALLOW_FILE.relative_to(ROOT)}.")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
