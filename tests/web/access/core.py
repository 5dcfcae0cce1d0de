"""Expected access: home, sign in/out, and the API's own pages."""

from tests.web.access import Expect, everyone

EXPECTED = {
    "core:home": everyone(200),
    # Signed-in users are sent on from the login page.
    "accounts:login": Expect(
        {
            "public": 200,
            "administrator": 302,
            "analyst": 302,
            "partner": 302,
            "champion": 302,
            "equality_lead": 302,
        }
    ),
    "accounts:logout": everyone(405),  # POST only
    "api:api-root": everyone(404),  # django-ninja's index of the API: nothing to list
    "api:status": everyone(200),
    "api:openapi-json": everyone(200),
    "api:openapi-view": everyone(200),
}
