"""`make audit` (scripts/audit.py) when `npm audit` cannot reach the advisory endpoint: the npm
outcome is "NOT CHECKED ONLINE", and the offline checks (pinned advisories, the last recorded
review of package-lock.json) decide; they never report a pass they did not check.

Lockfiles and advisory lists here are small hand-written ones; no network is used (npm and
pip-audit are replaced by stand-ins).
"""

from __future__ import annotations

import importlib.util
import json
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def audit():
    spec = importlib.util.spec_from_file_location("audit_script", ROOT / "scripts" / "audit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ADVISORIES = (
    "# package, range, id, source\n"
    "minimist\t<0.2.4 || >=1.0.0 <1.2.6\tGHSA-xvch-5gv4-984h\ttest\n"
    "minimist\t<0.2.1 || >=1.0.0 <1.2.3\tGHSA-vh95-rmgr-6w4m\ttest\n"
)


def write_lock(path: Path, packages: dict[str, str]) -> Path:
    entries = {"": {"name": "demo"}} | {
        f"node_modules/{name}": {"version": version} for name, version in packages.items()
    }
    path.write_text(json.dumps({"lockfileVersion": 3, "packages": entries}))
    return path


@pytest.mark.parametrize(
    ("version", "affected", "inside"),
    [
        ("1.2.5", "<0.2.4 || >=1.0.0 <1.2.6", True),  # 1.2.5 < 1.2.6
        ("1.2.6", "<0.2.4 || >=1.0.0 <1.2.6", False),  # the fixed release
        ("1.2.8", "<0.2.4 || >=1.0.0 <1.2.6", False),
        ("0.2.3", "<0.2.4 || >=1.0.0 <1.2.6", True),  # the 0.x line, before its backport
        ("0.2.4", "<0.2.4 || >=1.0.0 <1.2.6", False),
        ("1.2.6-rc.1", "<1.2.6", True),  # a pre-release sorts before its release
        ("3.6.1", "<3.6.1", False),
        ("3.6.0", "<3.6.1", True),
        ("2.0.0", ">=1.0.0 <=2.0.0", True),
        ("2.0.1", ">=1.0.0 <=2.0.0", False),
    ],
)
def test_npm_style_ranges(audit, version, affected, inside):
    assert audit.in_range(version, affected) is inside


def test_the_pinned_list_finds_a_known_bad_version_also_when_nested(audit, tmp_path):
    advisories = tmp_path / "advisories.txt"
    advisories.write_text(ADVISORIES)
    lock = write_lock(
        tmp_path / "package-lock.json",
        {"minimist": "1.2.8", "optimist/node_modules/minimist": "1.2.2", "kdbush": "4.1.0"},
    )
    found = audit.npm_offline_findings(lock, advisories)
    # 1.2.8 is past both fixes; the nested 1.2.2 is before both (1.2.3 and 1.2.6).
    assert sorted(found) == [
        ("GHSA-vh95-rmgr-6w4m", "optimist/node_modules/minimist@1.2.2 (pinned advisory)"),
        ("GHSA-xvch-5gv4-984h", "optimist/node_modules/minimist@1.2.2 (pinned advisory)"),
    ]


def test_the_review_covers_only_the_lock_it_recorded_and_only_for_90_days(
    audit, tmp_path, monkeypatch
):
    lock = write_lock(tmp_path / "package-lock.json", {"kdbush": "4.1.0", "pbf": "4.0.2"})
    review = tmp_path / "reviewed.txt"
    assert audit.review_problems(lock, review) == [
        "no npm review is recorded (reviewed.txt is missing)"
    ]
    monkeypatch.setattr(audit, "ROOT", tmp_path)
    audit.record_npm_review("npm audit on a laptop, A. Person", lock, review)
    text = review.read_text()
    assert "# method: npm audit on a laptop, A. Person" in text
    assert "kdbush@4.1.0\npbf@4.0.2\n" in text
    recorded = date.fromisoformat(text.split("# reviewed: ")[1][:10])
    assert audit.review_problems(lock, review, today=recorded) == []
    # 91 days later (more than REVIEW_DAYS = 90) the same lock needs a new review.
    late = date.fromordinal(recorded.toordinal() + 91)
    assert audit.review_problems(lock, review, today=late) == [
        f"the review of {recorded} is 91 days old (more than 90)"
    ]
    write_lock(lock, {"kdbush": "4.1.0", "pbf": "4.0.3", "earcut": "3.2.4"})
    assert audit.review_problems(lock, review, today=recorded) == [
        "earcut@3.2.4 is new or changed since the review",
        "pbf@4.0.3 is new or changed since the review",
    ]


@pytest.fixture
def offline(audit, tmp_path, monkeypatch):
    """npm audit answering 405 (None), pip-audit clean, the hand-written files in place."""
    advisories = tmp_path / "advisories.txt"
    advisories.write_text(ADVISORIES)
    lock = write_lock(tmp_path / "package-lock.json", {"minimist": "1.2.8"})
    review = tmp_path / "reviewed.txt"
    monkeypatch.setattr(audit, "ROOT", tmp_path)
    monkeypatch.setattr(audit, "ADVISORIES_FILE", advisories)
    monkeypatch.setattr(audit, "LOCK_FILE", lock)
    monkeypatch.setattr(audit, "REVIEW_FILE", review)
    monkeypatch.setattr(audit, "ALLOW_FILE", tmp_path / "allow.txt")
    monkeypatch.setattr(audit, "npm_findings", lambda: None)
    monkeypatch.setattr(audit, "python_findings", lambda: [])
    return lock


def test_unreviewed_and_not_checked_online_fails(audit, offline, capsys):
    assert audit.main([]) == 1
    out = capsys.readouterr().out
    assert "VULNERABLE or UNREVIEWED: npm review: no npm review is recorded" in out
    assert "audit outcome: npm: NOT CHECKED ONLINE; offline: pinned advisories, lock NOT" in out


def test_a_recorded_review_passes_but_says_npm_was_not_checked_online(audit, offline, capsys):
    assert audit.main(["--record-npm-review", "npm audit elsewhere"]) == 0
    assert audit.main([]) == 0
    out = capsys.readouterr().out
    assert "audit outcome: npm: NOT CHECKED ONLINE; offline: pinned advisories, lock covered" in out
    assert "(npm audit elsewhere)" in out


def test_a_pinned_hit_fails_even_with_a_review_unless_accepted(audit, offline, capsys):
    write_lock(offline, {"minimist": "1.2.5"})
    audit.main(["--record-npm-review", "npm audit elsewhere"])
    assert audit.main([]) == 1
    assert "minimist@1.2.5 (pinned advisory): GHSA-xvch-5gv4-984h" in capsys.readouterr().out
    audit.ALLOW_FILE.write_text("GHSA-xvch-5gv4-984h CLI argument parser; never given input.\n")
    assert audit.main([]) == 0
    assert "accepted: minimist@1.2.5 (pinned advisory) GHSA-xvch" in capsys.readouterr().out


def test_the_pinned_list_of_the_repository_parses_and_covers_the_lock(audit):
    """The shipped files: every line parses, and the shipped lock has no pinned finding."""
    assert len(audit.pinned_advisories()) >= 1
    assert audit.npm_offline_findings() == []
