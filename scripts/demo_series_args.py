"""Print the `healthgap indicators series` options for the demo programmes, one per line.

`make run` (scripts/run_demo.sh) publishes the monthly series the programme pages need, and only
those (to stay fast): the target indicators of the demo's programme effects
(src/healthgap/synthetic/demo_effects.yaml) in their LSOAs, plus a comparator pool of the
`POOL` most deprived other LSOAs (IMD 2025 rank) of the ICB, from which the programme page
matches comparison areas.

    python scripts/demo_series_args.py E54000062
"""

from __future__ import annotations

import sys
from importlib import resources

from healthgap.indicators.run import areas_table
from healthgap.synthetic import Effects

POOL = 48


def main(icb: str) -> None:
    path = resources.files("healthgap.synthetic") / "demo_effects.yaml"
    programmes = Effects.load(str(path)).programmes
    areas = areas_table()
    areas = areas[areas["icb24"] == icb]
    mine = sorted({code for p in programmes for code in p.lsoas})
    others = areas[~areas["lsoa21"].isin(mine)].nsmallest(POOL, "imd_rank")["lsoa21"]
    for outcome in sorted({p.outcome for p in programmes}):
        print(f"--indicator={outcome}")
    for code in [*mine, *sorted(others)]:
        print(f"--area={code}")


if __name__ == "__main__":
    main(sys.argv[1])
