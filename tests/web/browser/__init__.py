"""Playwright journeys and axe-core checks in Debian's chromium (marked `browser`)."""
