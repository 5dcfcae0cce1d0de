"""Tests of the REST API as a whole: tokens, authentication, the OpenAPI schema."""
