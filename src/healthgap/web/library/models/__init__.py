from healthgap.web.library.models.case_study import CaseStudy

__all__ = ["CaseStudy"]
