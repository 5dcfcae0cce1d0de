"""Equality assurance: WRES indicators, EDS 2022 grading, maturity matrices and EHIA workflows.

Pure logic (no web imports): `healthgap.equality.wres` (Workforce Race Equality Standard),
`healthgap.equality.eds` (Equality Delivery System 2022), `healthgap.equality.maturity`
(maturity-matrix self-assessment and radar charts) and `healthgap.equality.ehia` (equality and
health inequalities impact assessment). Sources and methods: docs/equality.md.
"""
