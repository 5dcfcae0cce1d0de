"""Expected access: the audit log is for administrators only."""

from tests.web.access import only

EXPECTED = {"audit:log": only("administrator"), "audit:export": only("administrator")}
