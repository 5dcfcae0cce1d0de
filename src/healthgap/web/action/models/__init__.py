from healthgap.web.action.models.activity import Activity
from healthgap.web.action.models.activity_reach import ActivityReach
from healthgap.web.action.models.insight import Insight
from healthgap.web.action.models.insight_group import InsightGroup
from healthgap.web.action.models.programme import Programme

__all__ = ["Activity", "ActivityReach", "Insight", "InsightGroup", "Programme"]
