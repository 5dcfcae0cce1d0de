"""`make audit`: known vulnerabilities in the Python and npm dependencies (pip-audit, npm audit).

Fails (exit 1) on any finding that is not accepted in `.ci/audit-allow.txt`, whose lines are
`<advisory id> <reason>` (the reason is required; `#` starts a comment). pip-audit that cannot
reach its service is a loud WARNING ("not checked") and does not fail the run.

npm: when `npm audit` cannot query the registry's advisory endpoint (a mirror answering 405),
the npm outcome is "NOT CHECKED ONLINE" and two offline checks decide instead:
1. package-lock.json against the pinned advisories in `.ci/npm-advisories.txt` (lines
   `<package> <affected range> <advisory id> <source>`; ranges as npm writes them, e.g.
   `<1.2.6` or `>=1.0.0 <1.2.3 || <0.2.1`): a hit is a finding like any other;
2. package-lock.json against the last full review, `.ci/npm-reviewed-lock.txt` (its packages,
   `name@version` a line, under `# reviewed: YYYY-MM-DD` and `# method: ...`): a package added
   or changed since, or a review older than REVIEW_DAYS, fails the run until someone audits
   the lock where the endpoint answers and records it (`scripts/audit.py --record-npm-review
   "<method>"`). See docs/reliability.md, "Dependency audit".
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOW_FILE = ROOT / ".ci" / "audit-allow.txt"
ADVISORIES_FILE = ROOT / ".ci" / "npm-advisories.txt"
REVIEW_FILE = ROOT / ".ci" / "npm-reviewed-lock.txt"
LOCK_FILE = ROOT / "package-lock.json"
#: A recorded npm review older than this many days no longer covers an offline run.
REVIEW_DAYS = 90


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
        error = report.get("error", {})
        reason = error.get("summary") or report.get("message") or run.stderr.strip()[-300:]
        print(
            f"WARNING: npm audit NOT CHECKED ONLINE (the advisory endpoint did not answer: "
            f"{' '.join(reason.split())[:200]}); offline checks of {LOCK_FILE.name} follow."
        )
        return None
    findings = []
    for name, entry in report["vulnerabilities"].items():
        for via in entry.get("via", []):
            if isinstance(via, dict):
                advisory = str(via.get("url") or via.get("source"))
                findings.append((advisory, f"{name} ({via.get('severity')})"))
    print(f"npm audit: {len(findings)} findings")
    return findings


def locked_packages(lock: Path | None = None) -> dict[str, str]:
    """Package name -> version for every package in an npm v2/v3 lockfile (nested copies as
    `parent/node_modules/name`, so two versions of one package both appear)."""
    lock = lock or LOCK_FILE
    packages = json.loads(lock.read_text(encoding="utf-8")).get("packages", {})
    return {
        path.removeprefix("node_modules/"): entry.get("version", "")
        for path, entry in packages.items()
        if path  # "" is the project itself
    }


def _version(text: str) -> tuple[int, int, int, int]:
    """(major, minor, patch, 1 for a release / 0 for a pre-release): 1.2.3-rc.1 < 1.2.3."""
    found = re.match(r"v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(-)?", text.strip())
    if not found:
        raise ValueError(f"not a version: {text!r}")
    major, minor, patch, pre = found.groups()
    return int(major), int(minor or 0), int(patch or 0), 0 if pre else 1


def in_range(version: str, affected: str) -> bool:
    """Whether `version` is in an npm-style range: `||` between alternatives, each a
    space-separated list of comparators (`<`, `<=`, `>`, `>=`, `=`) that must all hold."""
    checks = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
              ">=": lambda a, b: a >= b, "=": lambda a, b: a == b}  # fmt: skip
    have = _version(version)
    for alternative in affected.split("||"):
        comparators = re.findall(r"(<=|>=|<|>|=)?\s*([^\s<>=]+)", alternative)
        if comparators and all(
            checks[op or "="](have, _version(bound)) for op, bound in comparators
        ):
            return True
    return False


def pinned_advisories(path: Path | None = None) -> list[tuple[str, str, str]]:
    """(package, affected range, advisory id) per line of the pinned list."""
    path = path or ADVISORIES_FILE
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split("\t")
        if len(parts) < 4:
            sys.exit(f"{path}:{number}: needs <package> TAB <range> TAB <id> TAB <source>.")
        found.append((parts[0].strip(), parts[1].strip(), parts[2].strip()))
    return found


def npm_offline_findings(
    lock: Path | None = None, advisories: Path | None = None
) -> list[tuple[str, str]]:
    """Findings of the pinned advisories in the lockfile (the offline check 1)."""
    advisories = advisories or ADVISORIES_FILE
    packages = locked_packages(lock)
    pinned = pinned_advisories(advisories)
    findings = [
        (advisory, f"{path}@{version} (pinned advisory)")
        for path, version in packages.items()
        for name, affected, advisory in pinned
        if path.rsplit("node_modules/", 1)[-1] == name and version and in_range(version, affected)
    ]
    print(f"npm offline: {len(packages)} locked packages against {len(pinned)} pinned "
          f"advisories ({advisories.name}): {len(findings)} findings")  # fmt: skip
    return findings


def review_problems(
    lock: Path | None = None, review: Path | None = None, today: date | None = None
) -> list[str]:
    """Why the lockfile is not covered by its last recorded review (the offline check 2)."""
    lock, review = lock or LOCK_FILE, review or REVIEW_FILE
    if not review.exists():
        return [f"no npm review is recorded ({review.name} is missing)"]
    header = dict(re.findall(r"^# (reviewed|method): (.+)$", review.read_text(), re.M))
    reviewed = {
        line.strip()
        for line in review.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    current = {f"{path}@{version}" for path, version in locked_packages(lock).items()}
    problems = [f"{package} is new or changed since the review" for package in
                sorted(current - reviewed)]  # fmt: skip
    when = date.fromisoformat(header.get("reviewed", "1970-01-01").strip())
    age = ((today or date.today()) - when).days
    if age > REVIEW_DAYS:
        problems.append(f"the review of {when} is {age} days old (more than {REVIEW_DAYS})")
    if not problems:
        print(f"npm offline: {lock.name} unchanged since the review of {when} "
              f"({header.get('method', 'method not recorded').strip()})")  # fmt: skip
    return problems


def record_npm_review(method: str, lock: Path | None = None, review: Path | None = None) -> None:
    """Write the lockfile's packages as reviewed today by `method` (say how, and by whom)."""
    review = review or REVIEW_FILE
    lines = [f"# reviewed: {date.today().isoformat()}", f"# method: {method}"]
    lines += [f"{path}@{version}" for path, version in sorted(locked_packages(lock).items())]
    review.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"Recorded {len(lines) - 2} packages in {review.relative_to(ROOT)}.")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--record-npm-review"]:
        if len(argv) != 2 or not argv[1].strip():
            sys.exit('usage: scripts/audit.py --record-npm-review "<how the lock was audited>"')
        record_npm_review(argv[1])
        return 0
    accepted = allowed()
    failures = []
    npm = npm_findings()
    outcome = {"npm": "checked online (npm audit)"}
    if npm is None:  # not checked online: the offline checks decide
        npm = npm_offline_findings()
        problems = review_problems()
        failures += [f"npm review: {problem}" for problem in problems]
        outcome["npm"] = "NOT CHECKED ONLINE; offline: pinned advisories, " + (
            "lock NOT covered by a review" if problems else "lock covered by its recorded review"
        )
    python = python_findings()
    outcome["python"] = "NOT CHECKED" if python is None else "checked online (pip-audit)"
    for findings in (python, npm):
        for ids, package in findings or []:
            hit = next((a for a in ids.split() if a in accepted), None)
            if hit:
                print(f"accepted: {package} {hit}: {accepted[hit]}")
            else:
                failures.append(f"{package}: {ids}")
    for failure in failures:
        print(f"VULNERABLE or UNREVIEWED: {failure}")
    if failures:
        print(f"Fix these, or accept a finding with a reason in {ALLOW_FILE.relative_to(ROOT)}; "
              "after auditing a changed npm lock where `npm audit` works, record it with "
              'scripts/audit.py --record-npm-review "<method>".')  # fmt: skip
    for ecosystem, how in outcome.items():
        print(f"audit outcome: {ecosystem}: {how}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
