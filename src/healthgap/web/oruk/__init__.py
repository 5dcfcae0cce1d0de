"""Open Referral UK 3.0 (HSDS 3.0 UK profile): the public read API under /oruk/ and the
directory's import and export in ORUK JSON and CSV."""
