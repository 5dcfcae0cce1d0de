"""Synthetic populations: people and events in the person-level schema, calibrated to the Census.

`synthesise` (module `generate`) draws each LSOA's Census 2021 residents and, for every period
of every catalogue indicator, the events its cohort and numerator need
(docs/synthetic_population.md).
The package sits above `population` (the schema and the dataset folder it writes) and
`indicators` (the catalogue it reads); the CLI is `healthgap population synth` (`synthetic.cli`,
mounted by `healthgap.cli`).
"""

from healthgap.synthetic.generate import (
    DEFAULT_REFERENCE_DATE,
    Effects,
    SynthAreas,
    SynthResult,
    load_areas,
    select_lsoas,
    synthesise,
)

__all__ = [
    "DEFAULT_REFERENCE_DATE",
    "Effects",
    "SynthAreas",
    "SynthResult",
    "load_areas",
    "select_lsoas",
    "synthesise",
]
