"""Upload limits: every file a user uploads is refused whole, with a message, when it is too
large or has too many rows (docs/reliability.md, "Upload limits").

Two settings (from the environment, see `healthgap.web.settings`):

- `HEALTHGAP_UPLOAD_MAX_BYTES` (bytes, default 20 MiB): the largest file, and the largest
  total of the files inside a ZIP (so a small ZIP cannot unpack to gigabytes).
- `HEALTHGAP_UPLOAD_MAX_ROWS` (default 100,000): the most rows in a file. A row is a CSV data
  row (not the header; every CSV in a ZIP counted together) or, in JSON, one object at any
  depth below the top level (each becomes at most one directory record; the top-level object
  is the file's envelope or its one record, and is not counted).

`LimitedUploadHandler` (first in `FILE_UPLOAD_HANDLERS`) stops keeping a file's bytes once it
passes the size limit, so an oversized upload is never written out in full; the form field
(`UploadField`) then refuses it with the size message. Counting rows happens in the field's
validator, before any view reads the file, so a refused file loads nothing.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_ROWS = 100_000
_ADVICE = "Split the file, or ask an administrator to raise the limit. Nothing was loaded."


def max_bytes() -> int:
    return int(getattr(settings, "HEALTHGAP_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_rows() -> int:
    return int(getattr(settings, "HEALTHGAP_UPLOAD_MAX_ROWS", DEFAULT_MAX_ROWS))


def megabytes(size: int) -> str:
    """A size as the messages show it: MB (10^6 bytes) to one decimal place from 1 MB, else
    bytes ("20.9 MB", "5,000 bytes")."""
    return f"{size / 1_000_000:,.1f} MB" if size >= 1_000_000 else f"{size:,} bytes"


class OversizedUpload(UploadedFile):
    """Stands for a file whose bytes were dropped past the limit: empty, but `size` is the
    number of bytes the browser sent."""

    def __init__(self, name: str, size: int, content_type: str | None) -> None:
        super().__init__(io.BytesIO(b""), name, content_type, size)
        self.oversized = True


class LimitedUploadHandler(FileUploadHandler):
    """Counts each file's bytes; past `max_bytes()` its further chunks go to no handler and
    the file arrives as an `OversizedUpload`."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.seen, self.limit = 0, max_bytes()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.seen += len(raw_data)
        return None if self.seen > self.limit else raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.seen > self.limit:
            return OversizedUpload(self.file_name or "upload", self.seen, self.content_type)
        return None  # the next handler (memory or temporary file) holds the file


def check_upload(upload: UploadedFile) -> None:
    """Raise ValidationError (code "too_large" or "too_many_rows") when `upload` breaks a
    limit. A file that cannot be parsed is left to the importer, which explains why."""
    name = PurePath(upload.name or "upload").name
    limit = max_bytes()
    if getattr(upload, "oversized", False) or (upload.size or 0) > limit:
        raise ValidationError(
            f"{name} is {megabytes(upload.size or 0)}; uploads are limited to "
            f"{megabytes(limit)} (HEALTHGAP_UPLOAD_MAX_BYTES). {_ADVICE}",
            code="too_large",
        )
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    if name.lower().endswith(".zip"):
        rows = _zip_rows(name, content, limit)
    elif name.lower().endswith(".json"):
        rows = _json_rows(content)
    else:
        rows = _csv_rows(content)
    if rows > max_rows():
        unit = "records (JSON objects)" if name.lower().endswith(".json") else "rows"
        raise ValidationError(
            f"{name} has {rows:,} {unit}; uploads are limited to {max_rows():,} rows or "
            f"records (HEALTHGAP_UPLOAD_MAX_ROWS). {_ADVICE}",
            code="too_many_rows",
        )


def _csv_rows(content: bytes) -> int:
    """Data rows (records after the header; quoted newlines kept in their record)."""
    text = content.decode("utf-8-sig", errors="replace")
    try:
        records = sum(1 for record in csv.reader(io.StringIO(text, newline="")) if record)
    except csv.Error:
        return 0  # unreadable: the importer reports it
    return max(records - 1, 0)


def _json_rows(content: bytes) -> int:
    """JSON objects at any depth below the top level."""
    try:
        document = json.loads(content)
    except (ValueError, RecursionError):
        return 0  # the importer reports the parse error
    if isinstance(document, dict):
        stack = list(document.values())
    else:
        stack = list(document) if isinstance(document, list) else []
    count = 0
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            count += 1
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


def _zip_rows(name: str, content: bytes, limit: int) -> int:
    """CSV rows of every file in the ZIP; ValidationError when its contents pass `limit`."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = [info for info in archive.infolist() if not info.is_dir()]
    except zipfile.BadZipFile:
        return 0  # the importer reports it
    unpacked = sum(info.file_size for info in members)
    if unpacked > limit:
        raise ValidationError(
            f"{name} unpacks to {megabytes(unpacked)}; uploads are limited to "
            f"{megabytes(limit)} (HEALTHGAP_UPLOAD_MAX_BYTES), the contents of a ZIP "
            f"included. {_ADVICE}",
            code="too_large",
        )
    rows = 0
    for info in members:
        if info.filename.lower().endswith(".csv"):
            try:
                rows += _csv_rows(archive.read(info))  # at most file_size bytes (zipfile)
            except (zipfile.BadZipFile, OSError, NotImplementedError):
                return 0  # the importer reports it
    return rows


class UploadField(forms.FileField):
    """A FileField that refuses files over the size or row limits (`check_upload`)."""

    default_validators = [check_upload]
