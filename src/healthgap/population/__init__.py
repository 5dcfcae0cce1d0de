"""Person-level data: the people/events schema, ethnicity groupings and the validated import.

`import_population` checks a people file (and optionally an events file), replaces NHS
numbers by keyed pseudonyms and writes a Parquet dataset all at once or not at all
(docs/population.md). The CLI is `healthgap population import`.
"""

from healthgap.population.ethnicity import ethnic_groups
from healthgap.population.importer import ImportResult, import_population
from healthgap.population.problems import PopulationImportError, Problem
from healthgap.population.schema import EVENTS, PEOPLE, SCHEMA_VERSION

__all__ = [
    "EVENTS",
    "PEOPLE",
    "SCHEMA_VERSION",
    "ImportResult",
    "PopulationImportError",
    "Problem",
    "ethnic_groups",
    "import_population",
]
