"""Personal API tokens: created and revoked on the account page, accepted by the REST API."""
