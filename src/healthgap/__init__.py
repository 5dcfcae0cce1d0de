"""healthgap: find, connect, act on and prove progress against health inequalities.

See ARCHITECTURE.md (in the project's shared folder) for the package map; `healthgap.stats`
holds the public-health statistics (PHEindicatormethods and WHO HEAT methods).
"""

__version__ = "0.1.0"
