from healthgap.web.tokens.models.token import ApiToken, hash_secret

__all__ = ["ApiToken", "hash_secret"]
