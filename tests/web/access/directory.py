"""Expected access: the directory (public pages)."""

from tests.web.access import everyone
from tests.web.factories import make_organisation

EXPECTED = {
    "directory:organisation-list": everyone(200),
    "directory:organisation-detail": everyone(
        200, kwargs=lambda users: {"pk": make_organisation().pk}
    ),
}
