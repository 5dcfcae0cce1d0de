"""Every write to equality records: one function per change, each taking `by=` and writing its
audit event in the same transaction (`healthgap.web.audit.record`). Library rule breaks raise
`healthgap.equality.errors` (ExtractError, AssessmentError) before anything is written."""

from healthgap.web.equality.actions.eds import (
    add_eds_action,
    add_eds_service,
    create_eds,
    grade_outcome,
    set_eds_published,
)
from healthgap.web.equality.actions.ehia import (
    add_ehia_action,
    advance_ehia,
    create_ehia,
    pull_profile,
    return_ehia,
    update_ehia,
)
from healthgap.web.equality.actions.maturity import create_self_assessment, moderate_assessment
from healthgap.web.equality.actions.wres import (
    add_wres_action,
    record_export,
    save_narrative,
    upload_wres,
)

__all__ = [
    "add_eds_action",
    "add_eds_service",
    "add_ehia_action",
    "add_wres_action",
    "advance_ehia",
    "create_eds",
    "create_ehia",
    "create_self_assessment",
    "grade_outcome",
    "moderate_assessment",
    "pull_profile",
    "record_export",
    "return_ehia",
    "save_narrative",
    "set_eds_published",
    "update_ehia",
    "upload_wres",
]
