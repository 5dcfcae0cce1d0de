"""Equality assurance pages: WRES returns, EDS 2022, maturity self-assessments and EHIAs.

Thin views over `healthgap.equality`; records belong to an organisation and are seen only by
its equality lead, analysts and administrators (`permissions`). Every write goes through
`actions` (audit event in the same transaction). See docs/equality.md, "Pages and reports".
"""
