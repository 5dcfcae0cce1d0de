from healthgap.web.accounts.models.user import User

__all__ = ["User"]
