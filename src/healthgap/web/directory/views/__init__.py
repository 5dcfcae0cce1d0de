"""Directory pages, one module per resource; writes go through `directory.actions`."""
