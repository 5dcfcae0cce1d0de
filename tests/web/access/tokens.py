"""Expected access: the account page and API tokens (everyone signed in; all tokens for
administrators), and /api/me."""

from healthgap.web.tokens.actions import create_token
from tests.web.access import Expect, only
from tests.web.factories import TEST_JOB

SIGNED_IN = ("administrator", "analyst", "partner", "champion", "equality_lead")


def _token_of(role):
    def kwargs(users):
        return {"pk": create_token(by=TEST_JOB, user=users[role], name="walk")[0].pk}

    return kwargs


EXPECTED = {
    "tokens:account": [
        only(*SIGNED_IN),
        # Creating a token shows its secret on the page (no redirect: it is shown only once).
        only(*SIGNED_IN, method="post", data={"name": "walk"}),
    ],
    "tokens:manage": [
        only("administrator"),
        Expect(
            {
                "public": 302,
                "administrator": 200,
                "analyst": 403,
                "partner": 403,
                "champion": 403,
                "equality_lead": 403,
            },
            method="post",
            data=lambda users: {"name": "walk", "user": users["partner"].pk},
        ),
    ],
    # Revoking sends you back to the list; others' tokens only for administrators; POST only.
    "tokens:revoke": [
        only(
            "administrator",
            "partner",
            ok=302,
            kwargs=_token_of("partner"),
            method="post",
            fresh=True,
        ),
        only(
            "administrator",
            "analyst",
            ok=302,
            kwargs=_token_of("analyst"),
            method="post",
            fresh=True,
        ),
        Expect(
            {
                "public": 302,
                "administrator": 405,
                "analyst": 405,
                "partner": 405,
                "champion": 405,
                "equality_lead": 405,
            },
            kwargs=_token_of("partner"),
        ),
    ],
    "api:me": only(*SIGNED_IN, anonymous=401),
}
