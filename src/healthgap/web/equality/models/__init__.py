from healthgap.web.equality.models.eds import EDSAction, EDSOutcome, EDSReturn, EDSService
from healthgap.web.equality.models.ehia import ImpactAction, ImpactAssessment
from healthgap.web.equality.models.maturity import MaturityAssessment
from healthgap.web.equality.models.wres import WRESAction, WRESReturn

__all__ = [
    "EDSAction",
    "EDSOutcome",
    "EDSReturn",
    "EDSService",
    "ImpactAction",
    "ImpactAssessment",
    "MaturityAssessment",
    "WRESAction",
    "WRESReturn",
]
