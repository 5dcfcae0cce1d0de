"""Environment-driven configuration for the Django settings (kept out of settings.py to test it).

Environment variables:

- `HEALTHGAP_VAR_DIR`: where the app writes (SQLite file, secret key, collected static files);
  default `<project root>/var` as for the rest of healthgap (`healthgap.config.project_root`).
- `HEALTHGAP_DATABASE_URL`: `postgresql://user:password@host:port/name`; unset means SQLite at
  `<var>/web/db.sqlite3`.
- `HEALTHGAP_SECRET_KEY`: Django's SECRET_KEY; unset means one generated once into
  `<var>/web/secret_key` (mode 0600).
- `HEALTHGAP_DEBUG`: "1"/"true" turns DEBUG on (off by default).
- `HEALTHGAP_ALLOWED_HOSTS`: comma-separated host names (default `127.0.0.1,localhost`).
- `HEALTHGAP_HTTPS`: "1"/"true" when served over HTTPS: secure cookies, HSTS, HTTPS redirect.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from healthgap.config import ENV_VAR_DIR, project_root

ENV_DATABASE_URL = "HEALTHGAP_DATABASE_URL"
ENV_SECRET_KEY = "HEALTHGAP_SECRET_KEY"


def env_flag(name: str) -> bool:
    """True when the environment variable `name` is "1", "true", "yes" or "on"."""
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def var_dir() -> Path:
    """The folder the web app writes to: `HEALTHGAP_VAR_DIR`, else `<project root>/var`."""
    if os.environ.get(ENV_VAR_DIR):
        return Path(os.environ[ENV_VAR_DIR]).expanduser()
    root = project_root()
    return (root if root is not None else Path.cwd()) / "var"


def database_from_url(url: str) -> dict[str, object]:
    """Django DATABASES["default"] for a `postgresql://user:password@host:port/name` URL.

    Query parameters (e.g. `?sslmode=require`) become connection OPTIONS.
    """
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ValueError(
            f"{ENV_DATABASE_URL} must start with postgresql://, not {parts.scheme or url!r}."
        )
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ValueError(f"{ENV_DATABASE_URL} must name a database, as in postgresql://host/name.")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "OPTIONS": dict(parse_qsl(parts.query)),
        "CONN_MAX_AGE": 60,
    }


def database(var: Path) -> dict[str, object]:
    """PostgreSQL from `HEALTHGAP_DATABASE_URL` when set, else SQLite at `<var>/web/db.sqlite3`."""
    url = os.environ.get(ENV_DATABASE_URL)
    if url:
        return database_from_url(url)
    (var / "web").mkdir(parents=True, exist_ok=True)
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": var / "web" / "db.sqlite3"}


def secret_key(var: Path) -> str:
    """`HEALTHGAP_SECRET_KEY`, else the key in `<var>/web/secret_key`, created once (mode 0600)."""
    if os.environ.get(ENV_SECRET_KEY):
        return os.environ[ENV_SECRET_KEY]
    path = var / "web" / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        key = secrets.token_urlsafe(50)
        handle.write(key)
    return key
