from healthgap.web.need.models.area import NEIGHBOURHOODS, Area, AreaType
from healthgap.web.need.models.boundary import Boundary
from healthgap.web.need.models.indicator import Indicator, Polarity
from healthgap.web.need.models.inequality import Inequality
from healthgap.web.need.models.introduction import (
    LIVE_STATUSES,
    TRANSITIONS,
    Introduction,
    IntroductionStatus,
)
from healthgap.web.need.models.load import ResultsLoad
from healthgap.web.need.models.priority import Priority
from healthgap.web.need.models.result import Result

__all__ = [
    "LIVE_STATUSES",
    "NEIGHBOURHOODS",
    "TRANSITIONS",
    "Area",
    "AreaType",
    "Boundary",
    "Indicator",
    "Inequality",
    "Introduction",
    "IntroductionStatus",
    "Polarity",
    "Priority",
    "Result",
    "ResultsLoad",
]
