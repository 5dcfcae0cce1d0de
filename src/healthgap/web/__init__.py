"""The healthgap web app: a Django project whose apps are thin views over the domain packages.

Layout (see docs/web.md): `settings.py`, `urls.py` (root URLconf), `api.py` (the django-ninja
API under /api/), `middleware.py` (Content-Security-Policy and friends), `navigation.py` (the
role-aware menu), `disclosure.py` (small-number suppression for every role but analyst) and one
Django app per concern: `core`, `accounts`, `audit`, `directory`.
"""
