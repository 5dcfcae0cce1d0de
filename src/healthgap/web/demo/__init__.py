"""The demo: NHS Black Country ICB (E54000062) organisations, accounts, programmes, case studies
and figures, loaded by `python -m healthgap.web load_demo` (and `make run`).

The records are data, in `data/*.yaml` (one file per kind of record, with named fields; read by
`data.load_data`, which checks every reference); `runner.run` writes them in a fixed order of
steps (`steps/`), each through the apps' audited `actions` as `SystemActor("load_demo")`.
See docs/web.md ("The demo") for how to edit the files.
"""
