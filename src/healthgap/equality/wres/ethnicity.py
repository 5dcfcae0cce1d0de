"""NHS ethnic category (Data Dictionary "16+1", 2001-census based) -> WRES group.

The national code is the first character of the `an2` field (the second is for local use):
A, B, C are White; D-G Mixed, H-L Asian or Asian British, M-P Black or Black British, R-S Other
ethnic groups, all of which the WRES counts as BME ("every group but White"); Z (not stated),
99 (not known) and X (not known, as HES writes it) are Unknown and are excluded from the
relative likelihoods. Reference: NHS Data Dictionary, Ethnic Category; WRES technical guidance
(standards.md section 4).
"""

from __future__ import annotations

WHITE, BME, UNKNOWN = "White", "BME", "Unknown"
GROUPS = (WHITE, BME, UNKNOWN)

WHITE_CODES = frozenset("ABC")
BME_CODES = frozenset("DEFGHJKLMNPRS")
UNKNOWN_CODES = frozenset({"Z", "99", "X"})


def wres_group(code: str) -> str | None:
    """The WRES group of one NHS ethnic category code, or None when the code is not valid.

    Accepts the national code alone ("H") or with a local second character ("H1"); case and
    surrounding spaces are ignored. "99", "Z" and "X" are Unknown.
    """
    text = code.strip().upper()
    if text in UNKNOWN_CODES:
        return UNKNOWN
    if not text or len(text) > 2:
        return None
    national = text[0]
    if national in WHITE_CODES:
        return WHITE
    if national in BME_CODES:
        return BME
    if national == "Z":
        return UNKNOWN
    return None
