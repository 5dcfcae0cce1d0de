"""The demo's steps, one module per app: each `load(data, by)` writes its records (skipping those
that exist) and returns the lines to print."""
