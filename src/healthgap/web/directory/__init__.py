"""The directory of who can help: organisations (and, later, services, locations, champions)."""
