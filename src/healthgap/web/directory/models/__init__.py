from healthgap.web.directory.models.champion import CommunityChampion
from healthgap.web.directory.models.community import Community, CommunityKind
from healthgap.web.directory.models.coverage_area import CoverageArea
from healthgap.web.directory.models.location import Location, LocationType
from healthgap.web.directory.models.organisation import Organisation, OrganisationKind
from healthgap.web.directory.models.service import Service, ServiceStatus
from healthgap.web.directory.models.service_at_location import ServiceAtLocation
from healthgap.web.directory.models.taxonomy import Taxonomy
from healthgap.web.directory.models.taxonomy_term import TaxonomyTerm

__all__ = [
    "Community",
    "CommunityChampion",
    "CommunityKind",
    "CoverageArea",
    "Location",
    "LocationType",
    "Organisation",
    "OrganisationKind",
    "Service",
    "ServiceAtLocation",
    "ServiceStatus",
    "Taxonomy",
    "TaxonomyTerm",
]
