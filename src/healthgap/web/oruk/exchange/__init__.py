"""Import and export of the directory in Open Referral UK 3.0 JSON and CSV."""

from healthgap.web.oruk.exchange.read import Upload, read_path, read_upload

__all__ = ["Upload", "read_path", "read_upload"]
