"""`healthgap backup` / `restore`: a round trip compares every table row for row and every
results file byte for byte, on the suite's engine (SQLite, or PostgreSQL in the PostgreSQL
pass); a restore into an empty database works; a tampered backup restores nothing."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from pathlib import Path

import pandas as pd
import pytest
from django.db import connection, connections
from hypothesis import given
from hypothesis import strategies as st

from healthgap.indicators.store import open_results, publish
from healthgap.web.audit.models import Action, AuditEvent
from healthgap.web.backup import (
    BackupError,
    backup,
    canonical,
    digest_rows,
    file_digests,
    restore,
    table_digests,
    verify,
)
from tests.web.factories import make_organisation, make_user


def _store(root: Path) -> Path:
    publish(root, {"results": pd.DataFrame({"area_code": ["E01000001"], "value": [1.5]})},
            {"backend": "duckdb"})  # fmt: skip
    return root


def _content() -> None:
    org = make_organisation(name="Walsall Community Network")
    make_user("partner", username="backup-partner", organisation=org)
    AuditEvent.objects.create(actor_username="someone", action=Action.CREATE, summary="x")


def _wrapper_for(name: str):
    """A second Django connection like the suite's, to another database."""
    wrapper_class = connections["default"].__class__
    return wrapper_class({**connection.settings_dict, "NAME": name}, alias="restore_check")


@pytest.mark.django_db(transaction=True)
def test_round_trip_restores_every_row_and_every_file(tmp_path: Path) -> None:
    _content()
    store = _store(tmp_path / "var" / "results" / "black-country")
    before_tables = table_digests(connection)
    before_files = file_digests(store)
    manifest = backup(tmp_path / "backup", stores=[store], connection=connection)
    assert manifest.tables == before_tables
    assert manifest.tables["directory_organisation"].rows == 1

    # Lose data: rows deleted, a results file overwritten, the store's pointer gone.
    AuditEvent.objects.all().delete()
    (store / "CURRENT").unlink()
    assert table_digests(connection) != before_tables

    restore(tmp_path / "backup", results_root=store.parent, connection=connection)
    assert table_digests(connection) == before_tables
    assert file_digests(store) == before_files
    assert open_results(store).table("results")["value"].tolist() == [1.5]


@pytest.mark.django_db(transaction=True)
def test_restore_into_an_empty_database(tmp_path: Path) -> None:
    _content()
    manifest = backup(tmp_path / "backup", stores=[], connection=connection)
    if connection.vendor == "sqlite":
        empty = _wrapper_for(str(tmp_path / "empty.sqlite3"))
        restore(tmp_path / "backup", results_root=tmp_path / "r", connection=empty)
        assert table_digests(empty) == manifest.tables
        empty.close()
        return
    name = f"hg_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    empty = _wrapper_for(name)
    try:
        restore(tmp_path / "backup", results_root=tmp_path / "r", connection=empty)
        assert table_digests(empty) == manifest.tables
    finally:
        empty.close()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.mark.django_db(transaction=True)
def test_a_tampered_backup_restores_nothing(tmp_path: Path) -> None:
    store = _store(tmp_path / "results" / "bc")
    backup(tmp_path / "backup", stores=[store], connection=connection)
    version = (store / "CURRENT").read_text().strip()
    copied = tmp_path / "backup" / "results" / "bc" / "versions" / version / "results.parquet"
    copied.write_bytes(b"not parquet")
    before = table_digests(connection)
    with pytest.raises(BackupError, match=r"fails its checksums.*changed results/bc/versions"):
        restore(tmp_path / "backup", results_root=tmp_path / "results", connection=connection)
    assert table_digests(connection) == before
    assert open_results(store).table("results")["value"].tolist() == [1.5]


@pytest.mark.django_db(transaction=True)
def test_refuses_an_existing_folder_and_a_folder_that_is_not_a_store(tmp_path: Path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("keep me")
    with pytest.raises(BackupError, match="already exists and is not empty"):
        backup(tmp_path / "full", stores=[], connection=connection)
    with pytest.raises(BackupError, match="Not a results store"):
        backup(tmp_path / "new", stores=[tmp_path / "full"], connection=connection)
    assert not (tmp_path / "new").exists()
    with pytest.raises(BackupError, match="is not a healthgap backup"):
        verify(tmp_path / "full")


def test_canonical_forms_are_engine_independent() -> None:
    # The same instant from SQLite (naive UTC) and PostgreSQL (aware) reads the same.
    aware = dt.datetime(2026, 12, 7, 21, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert canonical(aware) == canonical(dt.datetime(2026, 12, 7, 20, 0)) == "2026-12-07T20:00:00"
    assert canonical(decimal.Decimal("1.500")) == canonical(decimal.Decimal("1.5")) == "1.5"
    assert canonical(None) != canonical("None")
    assert canonical(b"\x00\x01") == "b64:AAE="


@given(st.lists(st.tuples(st.integers(), st.text(), st.none() | st.floats(allow_nan=False))))
def test_digest_ignores_row_order_but_not_content(rows: list[tuple]) -> None:
    assert digest_rows(rows) == digest_rows(list(reversed(rows)))
    assert digest_rows(rows).rows == len(rows)
    changed = [*rows, (0, "extra", None)]
    assert digest_rows(changed) != digest_rows(rows)
