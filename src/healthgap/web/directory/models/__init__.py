from healthgap.web.directory.models.organisation import Organisation, OrganisationKind

__all__ = ["Organisation", "OrganisationKind"]
