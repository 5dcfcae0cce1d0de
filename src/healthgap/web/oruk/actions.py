"""The audited writes of the ORUK app: importing into the directory and exporting it.

`import_directory` checks the whole upload first (`exchange.plan`); with any error it loads
nothing. Otherwise it writes every record through `directory.actions` (each audited) and one
IMPORT event, all in one transaction: if anything fails midway, nothing is kept.
A refused upload records an IMPORT_FAILED event.
`export_directory` builds the file and records an EXPORT event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from healthgap.web.audit.models import Action
from healthgap.web.audit.record import record
from healthgap.web.oruk.exchange import Upload
from healthgap.web.oruk.exchange.load import load
from healthgap.web.oruk.exchange.plan import check
from healthgap.web.oruk.exchange.problems import Report
from healthgap.web.oruk.exchange.write import export_tables, to_csv_zip, to_json


def import_directory(*, by: Any, bundle: Upload, source: str) -> Report:
    """Check `bundle` and, if it has no errors, load it; the report lists every problem."""
    report = Report(problems=list(bundle.problems))
    if report.errors:
        return _refused(by, source, report)
    plan = check(bundle.tables, report)
    if plan is None:
        return _refused(by, source, report)
    try:
        with transaction.atomic():
            load(plan, by=by, report=report)
            record(
                by=by,
                action=Action.IMPORT,
                object_type="directory.import",
                summary=f"Imported {source} (Open Referral UK): {report.summary()}",
                changes={
                    "source": source,
                    "created": dict(report.created),
                    "existing": dict(report.updated),
                    "warnings": len(report.warnings),
                },
            )
    except ValidationError as error:  # a rule the checks missed: nothing is kept
        report.created.clear()
        report.updated.clear()
        for message in error.messages:
            report.add(source, "", "", f"could not be stored: {message}")
        return _refused(by, source, report)
    report.loaded = True
    return report


def _refused(by: Any, source: str, report: Report) -> Report:
    """Record an IMPORT_FAILED event (file name and number of errors; nothing was loaded)."""
    errors = len(report.errors)
    record(
        by=by,
        action=Action.IMPORT_FAILED,
        object_type="directory.import",
        summary=f"Refused import of {source} (Open Referral UK): {errors} errors, nothing loaded",
        changes={"source": source, "errors": errors, "warnings": len(report.warnings)},
    )
    return report


@dataclass(frozen=True)
class Export:
    content: bytes
    content_type: str
    filename: str


def export_directory(*, by: Any, fmt: str) -> Export:
    """The public directory as ORUK JSON (`fmt="json"`) or a ZIP of CSV tables ("csv")."""
    now = timezone.now()
    with transaction.atomic():
        tables = export_tables()
        if fmt == "json":
            export = Export(
                to_json(tables, now.isoformat()),
                "application/json",
                f"healthgap-directory-{now:%Y%m%d}.json",
            )
        elif fmt == "csv":
            export = Export(
                to_csv_zip(tables), "application/zip", f"healthgap-directory-{now:%Y%m%d}.zip"
            )
        else:
            raise ValueError(f"Unknown export format {fmt!r}: use 'json' or 'csv'.")
        record(
            by=by,
            action=Action.EXPORT,
            object_type="directory.export",
            summary=f"Exported the directory as Open Referral UK {fmt.upper()}",
            changes={"format": fmt, "rows": {name: len(rows) for name, rows in tables.items()}},
        )
    return export
