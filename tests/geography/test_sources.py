"""The source registry, checksums, the download path (no network) and mirror/cache resolution."""

from __future__ import annotations

import hashlib
import re
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest

from healthgap.config import DataConfig, project_root
from healthgap.errors import ArgumentError, DataSourceError
from healthgap.geography.sources import (
    SOURCES,
    download,
    download_source,
    get_source,
    locate,
    resolve,
    sha256_file,
    verify_file,
)


def test_registry_entries_are_complete_and_distinct() -> None:
    paths = [source.path for source in SOURCES.values()]
    assert len(set(paths)) == len(paths)
    for name, source in SOURCES.items():
        assert source.name == name
        assert source.url.startswith("https://") and source.page.startswith("https://")
        assert not Path(source.path).is_absolute() and ".." not in source.path
        if source.in_mirror:  # the checksum is that of the mirror's copy
            assert source.sha256 is not None and re.fullmatch(r"[0-9a-f]{64}", source.sha256)
        else:
            assert source.sha256 is None and source.fetchable
        assert source.rows > 0 and source.vintage and source.publisher
    licences = {source.licence for source in SOURCES.values()}
    assert licences == {"Open Government Licence v3.0", "Open Parliament Licence v3.0"}


def test_the_house_of_commons_qof_outputs_are_registered_at_a_pinned_commit() -> None:
    qof = [source for source in SOURCES.values() if source.path.startswith("qof_prevalence_hoc/")]
    assert sorted(source.rows for source in qof) == [210, 231, 1_911, 6_741]  # PROVENANCE.md
    for source in qof:
        assert source.licence == "Open Parliament Licence v3.0"
        assert source.url.startswith(
            "https://raw.githubusercontent.com/houseofcommonslibrary/local-health-data-from-QOF/"
            "f81b851cc6caf6dc8255c383b5cb31ba9d05ffe0/outputs/output_"
        )


def test_imd_sources_point_at_gov_uk_and_lookups_at_ons() -> None:
    assert SOURCES["imd2025_lsoa21"].url.startswith("https://assets.publishing.service.gov.uk/")
    assert SOURCES["imd2019_domains"].page.endswith("english-indices-of-deprivation-2019")
    assert "arcgis.com" in SOURCES["lsoa21_sicbl24_icb24"].url
    assert SOURCES["lsoa21_sicbl24_icb24"].publisher.startswith("Office for National Statistics")


def test_unknown_source_suggests_names() -> None:
    with pytest.raises(ArgumentError, match=r"no data source called 'imd2025'; did you mean"):
        get_source("imd2025")


def _write(path: Path, data: bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def test_checksum_of_a_good_file_passes_and_a_corrupted_one_fails(tmp_path: Path) -> None:
    good = b"lsoa21_code\nE01000001\n"
    digest = _write(tmp_path / "a.csv", good)
    source = replace(SOURCES["imd2025_lsoa21"], sha256=digest)
    assert sha256_file(tmp_path / "a.csv") == digest
    verify_file(tmp_path / "a.csv", source)
    (tmp_path / "a.csv").write_bytes(good.replace(b"1\n", b"2\n"))
    with pytest.raises(DataSourceError, match="does not match the checksum registered for"):
        verify_file(tmp_path / "a.csv", source)


def test_a_source_without_a_checksum_is_not_checked(tmp_path: Path) -> None:
    _write(tmp_path / "a.csv", b"x\n")
    verify_file(tmp_path / "a.csv", replace(SOURCES["imd2025_lsoa21"], sha256=None))


def test_download_from_a_file_url_streams_verifies_and_renames(tmp_path: Path) -> None:
    data = b"col\n" + b"E01000001\n" * 5000
    digest = _write(tmp_path / "remote" / "x.csv", data)
    dest = tmp_path / "cache" / "x.csv"
    download((tmp_path / "remote" / "x.csv").as_uri(), dest, sha256=digest)
    assert dest.read_bytes() == data
    assert [p.name for p in dest.parent.iterdir()] == ["x.csv"]  # no temporary file left


def test_download_with_a_wrong_checksum_keeps_nothing(tmp_path: Path) -> None:
    _write(tmp_path / "remote" / "x.csv", b"tampered\n")
    dest = tmp_path / "cache" / "x.csv"
    with pytest.raises(DataSourceError, match=r"failed its checksum .* it was not kept"):
        download((tmp_path / "remote" / "x.csv").as_uri(), dest, sha256="0" * 64)
    assert list(dest.parent.iterdir()) == []


def test_download_from_an_unreachable_file_url_fails_cleanly(tmp_path: Path) -> None:
    url = (tmp_path / "nowhere" / "x.csv").as_uri()
    with pytest.raises(DataSourceError, match=r"Could not download file://.*x\.csv"):
        download(url, tmp_path / "cache" / "x.csv")
    assert list((tmp_path / "cache").iterdir()) == []


def test_download_when_the_network_is_down_fails_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def offline(*args: object, **kwargs: object) -> None:
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    with pytest.raises(DataSourceError, match="Temporary failure in name resolution"):
        download("https://assets.publishing.service.gov.uk/x.csv", tmp_path / "x.csv")


def test_download_of_a_malformed_url_fails_cleanly(tmp_path: Path) -> None:
    with pytest.raises(DataSourceError, match="Could not download not a url"):
        download("not a url", tmp_path / "x.csv")


def _config(tmp_path: Path, mirror: Path | None, base_url: str | None = None) -> DataConfig:
    return DataConfig(mirror=mirror, var=tmp_path / "var", base_url=base_url)


def test_resolve_prefers_the_mirror_then_the_cache(tmp_path: Path) -> None:
    source = SOURCES["lad24_region24"]
    config = _config(tmp_path, tmp_path / "mirror")
    _write(config.download_cache / source.path, b"cached\n")
    assert resolve(source, config).origin == "cache"
    _write(tmp_path / "mirror" / source.path, b"mirror\n")
    found = resolve(source, config)
    assert (found.origin, found.path) == ("mirror", tmp_path / "mirror" / source.path)


def test_resolve_downloads_into_the_cache_when_a_base_url_is_set(tmp_path: Path) -> None:
    remote = tmp_path / "remote"
    data = b"ltla24_name,ltla24_code,region24_name,region24_code\n"
    source = replace(SOURCES["lad24_region24"], sha256=_write(remote / "lookups" / "x.csv", data))
    source = replace(source, path="lookups/x.csv")
    config = _config(tmp_path, None, base_url=remote.as_uri())
    found = resolve(source, config)
    assert found.origin == "download"
    assert found.path == config.download_cache / "lookups" / "x.csv"
    assert locate(source, config).origin == "cache"  # type: ignore[union-attr]


def test_download_source_needs_a_base_url(tmp_path: Path) -> None:
    with pytest.raises(DataSourceError, match="HEALTHGAP_DATA_URL is not set"):
        download_source(SOURCES["lad24_region24"], _config(tmp_path, None))


def test_resolve_without_mirror_cache_or_url_explains_what_to_do(tmp_path: Path) -> None:
    config = _config(tmp_path, tmp_path / "absent")
    with pytest.raises(
        DataSourceError,
        match=r"No copy of 'imd2025_lsoa21' \(imd2025/imd2025_lsoa21\.csv\): the open-data mirror "
        r".*absent does not exist.*HEALTHGAP_DATA_URL.*`healthgap data fetch imd2025_lsoa21 --from"
        r" official`\. The publisher's original is https://",
    ):
        resolve(SOURCES["imd2025_lsoa21"], config)
    with pytest.raises(DataSourceError, match=r"healthgap data fetch`\. The publisher's original"):
        resolve(SOURCES["imd2025_icb24"], config)  # xlsx only: no official fetcher to suggest


def test_resolve_points_a_source_the_mirror_lacks_to_its_publisher(tmp_path: Path) -> None:
    config = _config(tmp_path, tmp_path / "mirror")
    with pytest.raises(
        DataSourceError,
        match=r"the open-data mirror does not hold it .* `healthgap data fetch census2021_ethnicity"
        r" --from official`",
    ):
        resolve(SOURCES["census2021_ethnicity"], config)


def test_config_from_env_reads_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEALTHGAP_DATA_DIR", str(tmp_path / "m"))
    monkeypatch.setenv("HEALTHGAP_VAR_DIR", str(tmp_path / "v"))
    monkeypatch.setenv("HEALTHGAP_DATA_URL", "file:///copy")
    config = DataConfig.from_env(verify=False)
    assert config == DataConfig(
        tmp_path / "m", tmp_path / "v", "file:///copy", False, "HEALTHGAP_DATA_DIR"
    )
    assert not config.mirror_available
    assert config.download_cache == tmp_path / "v" / "cache" / "data"


def test_config_defaults_to_the_shared_folder_beside_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HEALTHGAP_DATA_DIR", "HEALTHGAP_VAR_DIR", "HEALTHGAP_DATA_URL"):
        monkeypatch.delenv(name, raising=False)
    root = project_root()
    assert root is not None and (root / "pyproject.toml").is_file()
    config = DataConfig.from_env()
    assert config.var == root / "var"
    if (root.parent / "shared" / "data").is_dir():
        assert config.mirror == (root.parent / "shared" / "data").resolve()
        assert config.mirror_origin == "project"
    else:
        assert config.mirror is None


def test_project_root_walks_up_to_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert project_root(tmp_path / "a" / "b") == tmp_path
