"""Publishing a Spark run's results store, on a local folder or an object store.

The layout and the reader are the results store's (`store`, docs/results.md):
`OUT/versions/<version>/` holds the tables and `manifest.json`, `OUT/CURRENT` names the live
version. A Spark run writes its results table as a *folder* `results.parquet/` of Parquet files
partitioned by area type (`area_type=icb24/part-*.parquet`, written by the executors);
`store.Results.table` reads a folder like a file.

* **Local folder** (one machine, or a filesystem every worker mounts at the same path): the
  steps of `healthgap.publish`, as `store.publish` takes them: the publish lock, a private
  staging folder `versions/.<version>.partial/` that the executors write into, one rename to
  `versions/<version>/`, then `CURRENT` swapped with `os.replace`; older versions pruned.
* **Object store URL** (`s3a://`, `abfss://`, `gs://`, `hdfs://`; `is_url`): object stores
  have no atomic rename of a folder (S3's "rename" copies every object), so the version is
  written in place at `versions/<version>/`, `manifest.json` last, and only then is `CURRENT`
  overwritten (one PUT of a small object, atomic on S3, ADLS Gen2 and GCS). A reader that
  resolves CURRENT never sees a version before it is whole. There is no lock: one writer per
  store at a time (schedule runs so), and old versions are not pruned (use a bucket lifecycle
  rule). Files go through Spark's Hadoop FileSystem, so the cluster's credentials apply.
"""

from __future__ import annotations

import json
import re
import shutil
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from healthgap.errors import ArgumentError
from healthgap.indicators.store import LOCK, MANIFEST, POINTER, VERSIONS, Results, write_parquet
from healthgap.publish import PublishError, commit, lock, new_version, point_file, prune, stage

__all__ = ["OBJECT_STORE_SCHEMES", "SparkPublication", "check_location", "is_url"]

OBJECT_STORE_SCHEMES = ("s3a", "s3", "abfss", "abfs", "wasbs", "gs", "hdfs", "dbfs")
"""URL schemes handed to Spark's Hadoop FileSystem (the connector must be on the cluster)."""
_URL = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*)://")


def is_url(location: str | Path) -> bool:
    """True for a `scheme://...` location (`file://` included), False for a plain path."""
    return isinstance(location, str) and _URL.match(location) is not None


def check_location(location: str, backend: str, option: str) -> str | Path:
    """`location` as a Path, or as the URL itself when `backend` is Spark and its scheme is an
    object store's (or `file`); ArgumentError otherwise, saying what to do."""
    match = _URL.match(location)
    if match is None:
        return Path(location)
    scheme = match.group(1).lower()
    if scheme not in (*OBJECT_STORE_SCHEMES, "file"):
        known = ", ".join(f"{s}://" for s in OBJECT_STORE_SCHEMES)
        raise ArgumentError(f"{option} {location}: unknown URL scheme {scheme!r}; use {known}.")
    if backend != "spark":
        raise ArgumentError(
            f"{option} {location} is an object-store URL, which only the Spark backend reads "
            f"and writes; use --backend spark, or copy the data to a local folder for "
            f"--backend {backend}."
        )
    return location


class SparkPublication:
    """One version being written to the store at `root` (a local folder or a URL)."""

    def __init__(self, spark: Any, root: str | Path) -> None:
        self._spark = spark
        self._remote = is_url(root)
        self._stack = ExitStack()
        self.version = new_version()
        if self._remote:
            self.root = str(root).rstrip("/")
            self.folder = f"{self.root}/{VERSIONS}/{self.version}"
            return
        self.root = Path(root).resolve()
        try:
            self._stack.enter_context(lock(self.root / LOCK, self.root))
            self._staging, _ = stage(self.root / VERSIONS, self.version)
        except OSError as error:
            self._stack.close()
            if isinstance(error, PublishError):
                raise
            raise PublishError.from_os_error(self.root, error) from error
        self.folder = str(self._staging)

    def table_url(self, name: str) -> str:
        """Where Spark writes table `name` (a folder of Parquet files)."""
        return f"{self.folder}/{name}.parquet"

    def write_small(self, name: str, frame: pd.DataFrame) -> None:
        """Write a small driver-side table (inequalities): one Parquet file locally, a
        one-file folder written by Spark on an object store."""
        if not self._remote:
            write_parquet(frame, Path(self.folder) / f"{name}.parquet")
            return
        table = pa.Table.from_pandas(frame, preserve_index=False)
        fields = [pa.field(f.name, pa.string()) if pa.types.is_null(f.type) else f
                  for f in table.schema]  # fmt: skip
        data = self._spark.createDataFrame(table.cast(pa.schema(fields)))
        data.coalesce(1).write.parquet(self.table_url(name))

    def commit(self, manifest: dict[str, Any], *, keep: int = 5) -> Results:
        """Write the manifest and make this version live (see the module docstring)."""
        body = {"version": self.version, "created": self.version.partition("-")[0], **manifest}
        text = json.dumps(body, indent=2, default=str) + "\n"
        if self._remote:
            self._put(f"{self.folder}/{MANIFEST}", text)
            self._put(f"{self.root}/{POINTER}", self.version + "\n")
            return Results(self.root, self.version)  # type: ignore[arg-type]  # a URL
        final: Path | None = None
        try:
            with self._stack:
                (self._staging / MANIFEST).write_text(text, "utf-8")
                final = commit(self._staging)
                point_file(self.root / POINTER, self.version)
                prune(self.root / VERSIONS, keep=keep, live=self.version)
        except OSError as error:
            shutil.rmtree(final or self._staging, ignore_errors=True)
            if isinstance(error, PublishError):
                raise
            raise PublishError.from_os_error(self.root, error) from error
        return Results(self.root, self.version)

    def abandon(self) -> None:
        """Remove what a failed run wrote (the live version is untouched) and release the lock."""
        if self._remote:
            self._filesystem(self.folder)[0].delete(self._path(self.folder), True)
            return
        shutil.rmtree(self._staging, ignore_errors=True)
        self._stack.close()

    def _path(self, url: str) -> Any:
        return self._spark._jvm.org.apache.hadoop.fs.Path(url)

    def _filesystem(self, url: str) -> tuple[Any, Any]:
        path = self._path(url)
        return path.getFileSystem(self._spark._jsc.hadoopConfiguration()), path

    def _put(self, url: str, text: str) -> None:
        """One small object written whole through Hadoop's FileSystem (overwriting)."""
        fs, path = self._filesystem(url)
        stream = fs.create(path, True)
        try:
            stream.write(bytearray(text.encode("utf-8")))
        finally:
            stream.close()
