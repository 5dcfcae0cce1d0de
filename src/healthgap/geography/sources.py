"""Registry of the official reference-data sources, and how a copy of each is found or fetched.

Each `Source` names the publisher's file (`url`, `page`), its licence and vintage, the path of
healthgap's copy in the open-data mirror (`path`), the sha256 of that copy and its row count.
The mirror's copies are faithful CSV/GeoJSON conversions of the publishers' files (see each
source's `notes` and docs/data.md), so `sha256` checks the mirror copy, not the publisher's
original (an xlsx or an ArcGIS API response, in another byte layout).

Finding a file (`resolve`): the mirror, then the download cache, then, when `HEALTHGAP_DATA_URL`
is set, a download of `<HEALTHGAP_DATA_URL>/<path>` into the cache (streamed, hashed on the
fly, written to a temporary file and renamed into place only if the checksum matches).
`healthgap.geography.official` fills the same cache from the publishers themselves; those
copies are checked against the lock file (`verify_copy`). Nothing is ever written to the mirror.
"""

from __future__ import annotations

import difflib
import hashlib
import http.client
import urllib.error
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from healthgap.config import ENV_DATA_URL, DataConfig
from healthgap.errors import ArgumentError, DataSourceError
from healthgap.geography._files import atomic_output
from healthgap.geography._lock import read_lock

if TYPE_CHECKING:
    from rich.progress import Progress

CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class Source:
    """One official source file and healthgap's copy of it.

    name: registry key. title: what it is. publisher, licence: as stated by the publisher.
    url: the publisher's download (GOV.UK asset or ONS ArcGIS query; the landing page where no
    stable file address exists). page: the publisher's landing page. vintage: edition and
    geography year. path: the copy's path relative to the mirror (and the download cache).
    rows: rows (features for GeoJSON) in the copy. sha256: checksum of the copy.
    notes: how the copy differs from the publisher's file. in_mirror: False for a source the
    mirror lacks (fetched only from its publisher, `healthgap data fetch --from official`).
    fetchable: False when the publisher serves the file only as an xlsx workbook, which
    healthgap does not read (no official fetcher; the mirror or a hosted copy supplies it).
    """

    name: str
    title: str
    publisher: str
    licence: str
    url: str
    page: str
    vintage: str
    path: str
    rows: int
    sha256: str | None = None
    notes: str = ""
    in_mirror: bool = True
    fetchable: bool = True


_OGL = "Open Government Licence v3.0"
_MHCLG = "Ministry of Housing, Communities and Local Government (MHCLG)"
_ONS = "Office for National Statistics (ONS)"
_IOD19 = "https://www.gov.uk/government/statistics/english-indices-of-deprivation-2019"
_IOD19_FILE = "https://assets.publishing.service.gov.uk/government/uploads/system/uploads/attachment_data/file/"
_IOD25 = "https://www.gov.uk/government/statistics/english-indices-of-deprivation-2025"
_ASSET = "https://assets.publishing.service.gov.uk/media/"
_IOD25_FILE7 = (
    _ASSET + "691ded56d140bbbaa59a2a7d/File_7_IoD2025_All_Ranks_Scores_Deciles_Population_"
    "Denominators.csv"
)
_PORTAL = "https://geoportal.statistics.gov.uk/"
_NOMIS = "https://www.nomisweb.co.uk/"
_FROM_XLSX = "CSV export of the official xlsx; BOM and thousands separators removed."
_FROM_RDA = "Converted to CSV from the humaniverse R package's .rda copy; values unchanged."
_FROM_SF = "Converted to GeoJSON (WGS84, 6 d.p.) from the humaniverse/geographr sf object."
_HOC = "House of Commons Library"
_OPL = "Open Parliament Licence v3.0"
_HOC_REPO = "houseofcommonslibrary/local-health-data-from-QOF"
_HOC_COMMIT = "f81b851cc6caf6dc8255c383b5cb31ba9d05ffe0"


def _arcgis(service: str) -> str:
    """ONS Open Geography Portal feature-service query for every row (paged by the server)."""
    return (
        "https://services1.arcgis.com/ESMARspQHYMw9BZ9/arcgis/rest/services/"
        f"{service}/FeatureServer/0/query?where=1%3D1&outFields=*&outSR=4326&f=geojson"
    )


def _qof(name: str, title: str, output: str, path: str, rows: int, sha: str) -> Source:
    """A House of Commons Library modelled QOF prevalence output (copied byte for byte)."""
    url = f"https://raw.githubusercontent.com/{_HOC_REPO}/{_HOC_COMMIT}/outputs/{output}"
    page = f"https://github.com/{_HOC_REPO}"
    vintage = "QOF 2019/20, modelled (2021)"
    notes = "The repository's output CSV at the pinned commit, byte for byte."
    return Source(name, title, _HOC, _OPL, url, page, vintage, path, rows, sha, notes)


def _iod19(name: str, title: str, url: str, path: str, sha: str, notes: str = _FROM_XLSX) -> Source:
    vintage = "IoD2019 (Sep 2019), LSOA 2011"
    return Source(name, title, _MHCLG, _OGL, url, _IOD19, vintage, path, 32_844, sha, notes)


def _iod25(
    name: str, title: str, url: str, path: str, rows: int, sha: str, geo: str = "LSOA 2021"
) -> Source:
    vintage = f"IoD2025 (Oct 2025), {geo}"
    return Source(name, title, _MHCLG, _OGL, url, _IOD25, vintage, path, rows, sha, _FROM_RDA)


def _ons(
    name: str,
    title: str,
    url: str,
    page: str,
    vintage: str,
    path: str,
    rows: int,
    sha: str,
    notes: str = _FROM_RDA,
) -> Source:
    return Source(name, title, _ONS, _OGL, url, page, vintage, path, rows, sha, notes)


# fmt: off
_REGISTRY = (
    _iod19("imd2019_imd", "IoD2019 File 1: IMD rank and decile by LSOA 2011",
           _IOD19_FILE + "833970/File_1_-_IMD2019_Index_of_Multiple_Deprivation.xlsx",
           "imd2019/imd2019_lsoa11_file1_imd_ranks_deciles.csv",
           "0317ea9c3cbcff6f49d557227860a680a297ef25108fb57f4d43e9f53ff5a047"),
    _iod19("imd2019_domains", "IoD2019 File 2: IMD and domain ranks and deciles by LSOA 2011",
           _IOD19_FILE + "833973/File_2_-_IoD2019_Domains_of_Deprivation.xlsx",
           "imd2019/imd2019_lsoa11_file2_domain_ranks_deciles.csv",
           "3aa9419bdc8495f1aa58850e621183367f20b2184261d4e09dfa82c60809c936"),
    _iod19("imd2019_population", "IoD2019 File 6: population denominators (mid-2015)",
           _IOD19_FILE + "833980/File_6_-_IoD2019_Population_Denominators.xlsx",
           "imd2019/imd2019_lsoa11_file6_population_denominators.csv",
           "47f7f49963221c3ff84bbd1967adb7d81d192500d8134a46e98f210a23bb6762"),
    _iod19("imd2019_indicators", "IoD2019 File 8: underlying indicators",
           _ASSET + "5d8b3cd740f0b609909b590a/File_8_-_IoD2019_Underlying_Indicators.xlsx",
           "imd2019/imd2019_lsoa11_file8_underlying_indicators.csv.gz",
           "1823ec5c2673a50a86088675d4545d1945da7fb56980624c9e2da9431bb73a4a",
           "Converted to CSV (gzip) from the humaniverse/IMD .rda; snake_case column names."),
    _iod25("imd2025_lsoa21", "IoD2025 File 7: IMD and domain scores, ranks, deciles by LSOA 2021",
           _IOD25_FILE7, "imd2025/imd2025_lsoa21.csv", 33_755,
           "e82cc5533ba7c54e12426fbb39a1d472749e9c4115cc4cd3640f3ca59d77af08"),
    _iod25("imd2025_subdomains", "IoD2025 File 7 (sub-domain columns) by LSOA 2021",
           _IOD25_FILE7, "imd2025/imd2025_lsoa21_subdomains.csv.gz", 33_755,
           "c97dd57b5c89cf8252a076a2f906c5393f87973c91a46554b968130837878e7c"),
    _iod25("imd2025_indicators", "IoD2025 File 8: underlying indicators by LSOA 2021",
           _ASSET + "691dec012c6b98ecdbc500d4/File_8_IoD2025_Underlying_Indicators.xlsx",
           "imd2025/imd2025_lsoa21_indicators.csv.gz", 33_755,
           "ce2dc297c7a069b3885018fcd4cb593c3458d9b1b3ac595523f2657f846598a4"),
    _iod25("imd2025_lad24", "IoD2025 File 10: local authority district summaries (2024 LADs)",
           _ASSET + "6917412ebc34c86ce4e6e7fc/File_10_-_IoD2025_Local_Authority_District_"
           "Summaries__lower-tier__v2.xlsx", "imd2025/imd2025_ltla24.csv", 296,
           "1bf02dcd1f415617f87fbd4be8deb41f23fb46e067cdf6a250f0bdb9c25eace3", "LAD 2024"),
    _iod25("imd2025_icb24", "IoD2025 File 13: Integrated Care Board summaries (2024 ICBs)",
           _ASSET + "68ff7ed00f801e57b5bef928/File_13_-_IoD2025_Integrated_Care_Board__ICB__"
           "Summaries.xlsx", "imd2025/imd2025_icb24.csv", 42,
           "62ad051629c5bf34e7e78b6bf2d95999b3606b66e23e613097d4e151b8757860", "ICB 2024"),
    _ons("lsoa11_lsoa21_lad22", "LSOA (2011) to LSOA (2021) to LAD (2022) lookup, E&W",
         "https://www.arcgis.com/sharing/rest/content/items/5fc4ff82228846c2b893e3beba0e3751/data",
         _PORTAL + "datasets/lsoa-2011-to-lsoa-2021-to-local-authority-district-2022-lookup-"
         "for-england-and-wales-version-2/about", "Aug 2022, LSOA 2011/2021",
         "lookups/lsoa11_lsoa21_lad22_ew.csv", 35_795,
         "ddc782616aab916dc373169ff6d87bf3763c1c6fcb06068902f6de9bd3a02725"),
    _ons("lsoa21_sicbl24_icb24", "LSOA (2021) to sub-ICB location to ICB (2024) lookup, England",
         _arcgis("LSOA21_SICBL24_ICB24_CAL24_LAD24_EN_LU"), _PORTAL, "April 2024, LSOA 2021",
         "lookups/lsoa21_sicbl24_icb24_england.csv", 33_755,
         "763fa23ba15c21b58c8e99b3d2d980e4cc299e02017f4625691e7070ce4049c2"),
    _ons("lsoa21_ward24_lad24", "LSOA (2021) to ward (2024) to LAD (2024) best-fit lookup, E&W",
         _arcgis("LSOA21_WD24_LAD24_EW_LU"), _PORTAL, "May 2024, LSOA 2021",
         "lookups/lsoa21_ward24_lad24_ew.csv", 35_672,
         "f6e5e7faaf254e28b36747247524928dbc5023259653ace095a704203382b8ae"),
    _ons("lad24_region24", "LAD (2024) to region lookup, England", _arcgis("LAD24_RGN24_EN_LU"),
         _PORTAL, "2024", "lookups/lad24_region24_england.csv", 296,
         "9456743a873fc5d564e6fc8084c53189f0fa9b67ce3d4393fed3143aa6625c92"),
    _ons("msoa11_msoa21_lad22", "MSOA (2011) to MSOA (2021) to LAD (2022) lookup, E&W",
         _arcgis("MSOA11_MSOA21_LAD22_EW_LU_V2"), _PORTAL, "Aug 2022, MSOA 2011/2021",
         "lookups/msoa11_msoa21_lad22_ew.csv", 7_201,
         "b1be759842a5834668cc2d51826eff0fb4f4771278a17419f3fd47da3677bec4"),
    _ons("lsoa11_sicbl22_icb22_lad22", "LSOA (2011) to sub-ICB to ICB to LAD (July 2022), England",
         _arcgis("LSOA11_SICBL22_ICB22_LAD22_EN_LU"), _PORTAL, "July 2022, LSOA 2011",
         "lookups/lsoa11_sicbl22_icb22_lad22_england.csv",
         32_844, "51440906afe0126070a2b8f252115ba3783c9cd231f0b7fd4e63a23573603192"),
    _ons("lsoa11_ccg21_stp21_lad21", "LSOA (2011) to CCG to STP to LAD (April 2021), England",
         _arcgis("LSOA11_CCG21_STP21_LAD21_EN_LU"), _PORTAL, "April 2021, LSOA 2011",
         "lookups/lsoa11_ccg21_stp21_lad21_england.csv", 32_844,
         "72bfc12fed0d1bbfc740e1e5c400f629be10e037f174fe743c834de0ed368260"),
    _ons("oa11_lookup_oac", "OA to LSOA to MSOA to LAD (Dec 2017) with area classifications, UK",
         "https://opendata.arcgis.com/datasets/fe6c55f0924b4734adf1cf7104a0173e_0.csv",
         _PORTAL + "datasets/fe6c55f0924b4734adf1cf7104a0173e_0", "Dec 2017, OA/LSOA 2011",
         "lookups/oa11_lsoa11_msoa11_lad17_region_oac_uk.csv.gz", 227_759,
         "6025c469335bc6dcb46238b0edcb137620d7ce921e19213d30d53528a27e4981",
         "Official CSV (gzip) with the FID column dropped."),
    _ons("lsoa11_msoa11_lad17", "LSOA (2011) to MSOA (2011) to LAD (2017) to region, England",
         "https://opendata.arcgis.com/datasets/fe6c55f0924b4734adf1cf7104a0173e_0.csv",
         _PORTAL + "datasets/fe6c55f0924b4734adf1cf7104a0173e_0", "Dec 2017, LSOA 2011",
         "lookups/lsoa11_msoa11_lad17_region11_england.csv", 32_844,
         "a0a7e0cddc312178f5e78739d0f484fe1bf126c6ba07e72cf805e1769ccd6d63",
         "Derived from oa11_lookup_oac: England rows, one per LSOA."),
    _ons("ruc21_lsoa21", "Rural-Urban Classification 2021 by LSOA 2021, E&W",
         _arcgis("LSOA21_RUC21_EW_LU"), "https://www.ons.gov.uk/methodology/geography/geographicalproducts/"
         "ruralurbanclassifications/2021ruralurbanclassification", "2021, LSOA 2021",
         "lookups/ruc21_lsoa21_ew.csv", 35_672,
         "bd7c04218514ef949d734ba94f4c793bc8423df4175e21401d2dbfbc52ce3f6b"),
    _ons("ruc11_lsoa11", "Rural-Urban Classification 2011 by LSOA 2011, E&W",
         "https://opendata.arcgis.com/datasets/276d973d30134c339eaecfc3c49770b3_0.geojson",
         _PORTAL + "datasets/rural-urban-classification-2011-of-lower-layer-super-output-areas-"
         "in-england-and-wales/explore", "2011, LSOA 2011", "lookups/ruc11_lsoa11_ew.csv",
         34_753, "6f6a0a97ce80b404b6e70f99b70d101f564049c1d2ea45e5b2cc7be3bb49ec9e"),
    _ons("boundaries_lsoa21", "LSOA (Dec 2021) boundaries EW BSC V4 (super generalised), England",
         _arcgis("Lower_layer_Super_Output_Areas_December_2021_Boundaries_EW_BSC_V4"), _PORTAL,
         "Dec 2021", "boundaries/lsoa21_england_bsc.geojson", 33_755,
         "2335d319e7d3b54f2ee68d783175381fe344bf446284781c05c22e88c821b849", _FROM_SF),
    _ons("boundaries_lsoa21_west_midlands", "LSOA (Dec 2021) BSC boundaries, West Midlands",
         _arcgis("Lower_layer_Super_Output_Areas_December_2021_Boundaries_EW_BSC_V4"), _PORTAL,
         "Dec 2021", "boundaries/lsoa21_west_midlands_bsc.geojson", 3_574,
         "e8575fa5d669c6091fbebc0a2cf60ce686e3720e891d4fa50e098c9422916ac1",
         "Subset of boundaries_lsoa21: the 30 West Midlands LADs (2024)."),
    _ons("boundaries_msoa21", "MSOA (Dec 2021) boundaries EW BSC (super generalised), England",
         _arcgis("Middle_layer_Super_Output_Areas_December_2021_Boundaries_EW_BSC_V3"), _PORTAL,
         "Dec 2021 (BSC V2)", "boundaries/msoa21_england_bsc.geojson", 6_856,
         "3e50703dadb0eac3739cb4c4339e06d31827888213fbb2608c6881767ef2b587",
         _FROM_SF + " Simplified by the package (mapshaper keep = 0.55)."),
    _ons("boundaries_lad24", "Local authority districts (May 2024) boundaries UK BUC, England",
         _arcgis("Local_Authority_Districts_May_2024_Boundaries_UK_BUC"), _PORTAL, "May 2024",
         "boundaries/lad24_england_buc.geojson", 296,
         "05b1905927431ad78aba664555bc23c3a75af0c6a7889ca2ffb840786f68c0e6", _FROM_SF),
    _ons("boundaries_icb22", "ICB (July 2022) boundaries EN BUC V3",
         _arcgis("ICB_JUL_2022_EN_BUC_V3"), _PORTAL, "July 2022 (codes unchanged in 2024)",
         "boundaries/icb22_england_buc.geojson", 42,
         "10d8b7c1f5893439c66c0d1261128c2d72b474ba43532b64501cfddd26cac5b3",
         _FROM_SF + " Further simplified by the package (very coarse)."),
    _ons("boundaries_lsoa11", "LSOA (Dec 2011) boundaries, England",
         "https://opendata.arcgis.com/datasets/e9d10c36ebed4ff3865c4389c2c98827_0.geojson",
         _PORTAL, "Dec 2011", "boundaries/lsoa11_england.geojson", 32_844,
         "ad44533c72fa3feae8162b23e33b856e32dd7d33b721907e85bf894ec1d54e7b",
         _FROM_SF + " Simplified (keep = 0.895); one invalid polygon."),
    _ons("boundaries_lsoa11_west_midlands", "LSOA (Dec 2011) boundaries, West Midlands",
         "https://opendata.arcgis.com/datasets/e9d10c36ebed4ff3865c4389c2c98827_0.geojson",
         _PORTAL, "Dec 2011", "boundaries/lsoa11_west_midlands.geojson", 3_487,
         "861a1f1de355097c065771e017d0bf7c7cdc0c9313ae96ee66e905f5987f8cdc",
         "Subset of boundaries_lsoa11: LSOAs whose LAD (2022) is in the West Midlands."),
    _ons("census2021_age6", "Census 2021 usual residents by LSOA 2021 and 6 age bands, E&W",
         "https://www.ons.gov.uk/datasets/create", _NOMIS + "sources/census_2021",
         "Census 2021 (21 March 2021), LSOA 2021",
         "population/census2021_usual_residents_age6_lsoa21_ew.csv.gz", 214_032,
         "9781c1ef4766deb98abf03655ea74989d5b942d7d158b74526e561174ad838bb",
         "ONS custom dataset via cwthom/hack25usefuldata (.rda to CSV, gzip); long format."),
    _ons("census2011_ethnicity", "Census 2011 ethnic group (KS201EW) by LSOA 2011, E&W",
         _NOMIS + "census/2011/ks201ew", _NOMIS + "sources/census_2011",
         "Census 2011 (27 March 2011), LSOA 2011", "population/census2011_ethnicity_lsoa11_ew.csv",
         34_753, "4f8a80a9766653901d8f624e63c8a92bfc4ad9d26603af1ca68a0e462894084c",
         "From profrichharris/MLID (.rda to CSV); 14 groups, Gypsy/Irish Traveller = remainder."),
    Source("census2021_ethnicity", "Census 2021 ethnic group (TS021, 19 groups) by LSOA 2021, E&W",
           _ONS, _OGL, _NOMIS + "api/v01/dataset/NM_2041_1.data.csv",
           _NOMIS + "sources/census_2021", "Census 2021 (21 March 2021), LSOA 2021",
           "population/census2021_ethnicity_lsoa21_ew.csv.gz", 677_768, None,
           "Not in the mirror: fetched from Nomis (long format, 35,672 LSOAs x 19 groups).",
           in_mirror=False),
    _qof("qof1920_imd2019_decile", "Modelled QOF prevalence 2019/20 by IMD 2019 decile, England",
         "output_imd_prevalence.csv",
         "qof_prevalence_hoc/qof1920_modelled_prevalence_by_imd2019_decile_england.csv", 231,
         "942315ca9e573c447ee0b519652ba8e3204cc0a4e8e2b9e2652d863dde0d5ecb"),
    _qof("qof1920_region_imd2019_decile", "Modelled QOF prevalence 2019/20, region x IMD decile",
         "output_imd_region_prevalence.csv",
         "qof_prevalence_hoc/qof1920_modelled_prevalence_by_region_imd2019_decile.csv", 1_911,
         "f8a6e4283f3a882f38cf003d95f684d82761ad471ba2c8f963f140da5fd38329"),
    _qof("qof1920_region", "Modelled QOF prevalence 2019/20 by region",
         "output_region_prevalence.csv",
         "qof_prevalence_hoc/qof1920_modelled_prevalence_by_region.csv", 210,
         "063b6a2c5cd2def7cdb5429199a219021133872a3678e70e5fa19760adbedbc7"),
    _qof("qof1920_lad", "Modelled QOF prevalence 2019/20 by local authority (2019/20 LADs)",
         "output_lad_prevalence.csv", "qof_prevalence_hoc/qof1920_modelled_prevalence_by_lad.csv",
         6_741, "d6ea8bdadb2a55ea0054d23a54f69f47453bd10dd5643d639c0c9d77067a10c7"),
)
# fmt: on

_XLSX_ONLY = {"imd2019_indicators", "imd2025_indicators", "imd2025_lad24", "imd2025_icb24"}

SOURCES: dict[str, Source] = {
    source.name: replace(source, fetchable=source.name not in _XLSX_ONLY) for source in _REGISTRY
}


def get_source(name: str) -> Source:
    """The registered source called `name` (ArgumentError naming the closest names if none)."""
    try:
        return SOURCES[name]
    except KeyError:
        close = difflib.get_close_matches(name, list(SOURCES), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise ArgumentError(f"There is no data source called {name!r}{hint}") from None


@dataclass(frozen=True)
class Located:
    """Where a copy of `source` was found: `origin` is "mirror", "cache" or "download"."""

    source: Source
    path: Path
    origin: str


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def verify_file(path: Path, source: Source) -> None:
    """Raise DataSourceError unless `path` has the sha256 registered for `source`.

    A source with no registered checksum passes.
    """
    if source.sha256 is None:
        return
    got = sha256_file(path)
    if got != source.sha256:
        raise DataSourceError(
            f"{path} does not match the checksum registered for {source.name!r} (expected sha256"
            f" {source.sha256}, got {got}). The file is corrupted or a different edition: restore"
            " it, or run with --no-verify (verify=False) to use it as it is."
        )


def copy_checksum(located: Located, config: DataConfig, digest: str | None = None) -> str:
    """How a copy's sha256 compares: "ok" (the registry's), "ok (official, locked)" (an official
    download recorded in the lock file), "not recorded" (no checksum to compare) or "MISMATCH".

    `digest`: the copy's sha256 when the caller has it already.
    """
    digest = digest or sha256_file(located.path)
    if digest == located.source.sha256:
        return "ok"
    if located.origin != "mirror":
        entry = read_lock(config).get(located.source.name)
        if entry is not None and entry.sha256 == digest:
            return "ok (official, locked)"
    return "not recorded" if located.source.sha256 is None else "MISMATCH"


def verify_copy(located: Located, config: DataConfig) -> None:
    """`verify_file`, except that a cached official download passes when the lock file has it."""
    if located.origin != "mirror" and copy_checksum(located, config) == "ok (official, locked)":
        return
    verify_file(located.path, located.source)


def locate(source: Source, config: DataConfig) -> Located | None:
    """The mirror's copy of `source`, else the download cache's, else None (no I/O besides stat)."""
    if config.mirror_available and config.mirror is not None:
        path = config.mirror / source.path
        if path.is_file():
            return Located(source, path, "mirror")
    path = config.download_cache / source.path
    if path.is_file():
        return Located(source, path, "cache")
    return None


def resolve(source: Source, config: DataConfig, *, progress: Progress | None = None) -> Located:
    """`locate`, else download when `config.base_url` is set, else a DataSourceError."""
    found = locate(source, config)
    if found is not None:
        return found
    if config.base_url:
        return download_source(source, config, progress=progress)
    if not source.in_mirror:
        raise DataSourceError(
            f"No copy of {source.name!r} ({source.path}): the open-data mirror does not hold it and"
            f" it is not in the download cache {config.download_cache}. Fetch it from the publisher"
            f" with `healthgap data fetch {source.name} --from official` ({source.url})."
        )
    official = (
        f", or fetch it from the publisher with `healthgap data fetch {source.name} --from"
        " official`"
        if source.fetchable
        else ""
    )
    raise DataSourceError(
        f"No copy of {source.name!r} ({source.path}): {config.describe_mirror()}, and it is not in"
        f" the download cache {config.download_cache}. Point {ENV_DATA_URL} at a copy of the"
        f" mirror and run `healthgap data fetch`{official}. The publisher's original is"
        f" {source.url}."
    )


def download_source(
    source: Source, config: DataConfig, *, progress: Progress | None = None
) -> Located:
    """Download `<config.base_url>/<source.path>` into the download cache (checksum-verified)."""
    if not config.base_url:
        raise DataSourceError(
            f"Cannot download {source.name!r}: {ENV_DATA_URL} is not set (it should point at a"
            " copy of the open-data mirror, e.g. https://example.org/healthgap-data)."
        )
    url = f"{config.base_url.rstrip('/')}/{source.path}"
    dest = config.download_cache / source.path
    expected = source.sha256 if config.verify else None
    download(url, dest, sha256=expected, progress=progress, label=source.name)
    return Located(source, dest, "download")


def download(
    url: str,
    dest: Path,
    *,
    sha256: str | None = None,
    progress: Progress | None = None,
    label: str | None = None,
    timeout: float = 60.0,
) -> Path:
    """Stream `url` to `dest`, checking its sha256 (when given) before an atomic rename.

    The body is written to a temporary file beside `dest` and hashed as it arrives; `dest` is
    replaced only when the download completes and the checksum matches, so a failed or
    corrupted download never leaves a partial file. Any failure raises DataSourceError.
    `progress` (a Rich Progress) gets a task showing bytes received.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        response = urllib.request.urlopen(url, timeout=timeout)
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise DataSourceError(f"Could not download {url}: {reason}") from exc
    digest = hashlib.sha256()
    try:
        with response, atomic_output(dest) as tmp, tmp.open("wb") as out:
            length = response.headers.get("Content-Length")
            task = None
            if progress is not None:
                total = int(length) if length and length.isdigit() else None
                task = progress.add_task(label or dest.name, total=total)
            while chunk := response.read(CHUNK_BYTES):
                out.write(chunk)
                digest.update(chunk)
                if progress is not None and task is not None:
                    progress.advance(task, len(chunk))
            out.close()
            got = digest.hexdigest()
            if sha256 is not None and got != sha256:
                raise DataSourceError(
                    f"The file downloaded from {url} failed its checksum (expected sha256 {sha256},"
                    f" got {got}); it was not kept."
                )
    except (OSError, http.client.HTTPException) as exc:
        raise DataSourceError(f"Could not download {url}: {exc}") from exc
    return dest
