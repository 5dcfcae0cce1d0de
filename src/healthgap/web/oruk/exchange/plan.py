"""Checking a bundle of ORUK tables completely and turning it into a `Plan` of directory
records to create or update. Every problem is reported (`Report`), none stops the checking.

Checks, in order:

1. the same id twice in a table must not disagree (nested files repeat objects: those merge);
2. each record against its official ORUK 3.0 JSON schema (required fields, types, enums,
   uuid/email/date formats), and the links ORUK's tabular package requires
   (`service.organization_id`, `service_at_location.service_id`/`location_id`, ...);
3. every link points at a record in the file or already in the directory;
4. each record as the directory would store it (`Model.full_clean`: lengths, URLs, e-mail
   addresses, postcodes, coordinates on Earth and, for a location already in the directory
   with an LSOA, within 1 km of that LSOA's boundary box; ages in whole years, minimum age not
   above the maximum, ...).

Fields healthgap does not store are warnings, once per table and field. A dangling
`parent_id` or `taxonomy_id` of a taxonomy term is a warning (the standard's own examples have
one): the term is stored without it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from healthgap.web.directory.models import (
    Community,
    CommunityKind,
    Location,
    Organisation,
    OrganisationKind,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from healthgap.web.oruk import schema as oruk_schema
from healthgap.web.oruk.exchange.problems import WARNING, Report
from healthgap.web.oruk.exchange.tables import AT, TABLES, Bundle, Row

#: Table -> the directory model its ids are looked up in.
MODELS = {
    "organizations": Organisation,
    "services": Service,
    "locations": Location,
    "service_at_locations": ServiceAtLocation,
    "taxonomies": Taxonomy,
    "taxonomy_terms": TaxonomyTerm,
}
#: Link column -> the table it points into.
TARGETS = {
    "organization_id": "organizations",
    "service_id": "services",
    "location_id": "locations",
    "taxonomy_term_id": "taxonomy_terms",
    "link_id": "services",
}
#: organization_identifier scheme or type (lower case) -> Organisation field.
IDENTIFIER_FIELDS = {
    "gb-nhs": "ods_code",
    "ods code": "ods_code",
    "gb-chc": "charity_number",
    "charity number": "charity_number",
    "gb-coh": "company_number",
    "company number": "company_number",
}


@dataclass
class Plan:
    """Directory records to write, keyed by ORUK id: model fields plus links by id."""

    taxonomies: dict[str, dict[str, Any]] = field(default_factory=dict)
    terms: dict[str, dict[str, Any]] = field(default_factory=dict)
    organisations: dict[str, dict[str, Any]] = field(default_factory=dict)
    locations: dict[str, dict[str, Any]] = field(default_factory=dict)
    services: dict[str, dict[str, Any]] = field(default_factory=dict)
    links: dict[str, tuple[str, str]] = field(default_factory=dict)
    existing: dict[str, set[str]] = field(default_factory=dict)


class Checker:
    """One pass over a bundle; `plan()` returns the Plan, or None when there are errors."""

    def __init__(self, bundle: Bundle, report: Report) -> None:
        self.report = report
        self.rows: dict[str, dict[str, Row]] = {}
        for table, rows in bundle.items():
            self.rows[table] = self._merge(table, rows)
        self.existing = self._existing()

    def _existing(self) -> dict[str, set[str]]:
        """Per table, the ids the file has or links to that are already in the directory."""
        wanted: dict[str, set[str]] = {table: set(rows) for table, rows in self.rows.items()}
        links = {**TARGETS, "parent_id": "taxonomy_terms", "taxonomy_id": "taxonomies"}
        for rows in self.rows.values():
            for row in rows.values():
                for column, target in links.items():
                    if isinstance(row.get(column), str) and _is_uuid(row[column]):
                        wanted.setdefault(target, set()).add(row[column])
        return {
            table: {
                str(key)
                for key in model.objects.filter(uuid__in=wanted.get(table, ())).values_list(
                    "uuid", flat=True
                )
            }
            for table, model in MODELS.items()
        }

    # --- 1 and 2: merge, schema, unstored fields ---------------------------------------------
    def _merge(self, table: str, rows: list[Row]) -> dict[str, Row]:
        merged: dict[str, Row] = {}
        unstored: dict[str, list[str]] = defaultdict(list)
        spec = TABLES[table]
        for row in rows:
            if "_not_an_object" in row:
                self.report.add(row[AT], "", row["_not_an_object"], "expected a JSON object")
                continue
            self._check_schema(spec.schema, row)
            for name in row:
                if name != AT and name not in spec.columns and name not in spec.quiet:
                    unstored[name].append(row[AT])
            key = row.get("id")
            if not isinstance(key, str) or not _is_uuid(key):
                continue  # reported by the schema check
            if key not in merged:
                merged[key] = dict(row)
                continue
            first = merged[key]
            for name, value in row.items():
                if name == AT:
                    continue
                if name in first and first[name] != value:
                    self.report.add(
                        row[AT],
                        name,
                        value,
                        f"the same {spec.schema} id appears at {first[AT]} with {name} "
                        f"{first[name]!r}",
                    )
                first.setdefault(name, value)
        for name, places in unstored.items():
            self.report.add(
                places[0],
                name,
                "",
                f"{spec.schema}.{name} is not stored by healthgap ({len(places)} record"
                f"{'s' if len(places) != 1 else ''})",
                severity=WARNING,
            )
        return merged

    def _check_schema(self, schema_name: str, row: Row) -> None:
        document = {k: v for k, v in row.items() if k != AT}
        for error in oruk_schema.validator(schema_name).iter_errors(document):
            if error.validator == "required":
                name = error.message.split("'")[1]
                self.report.add(row[AT], name, "", f"ORUK {schema_name}: a required field")
            else:
                name = ".".join(str(p) for p in error.absolute_path)
                self.report.add(
                    row[AT], name, error.instance, f"ORUK {schema_name}: {error.message}"
                )
        for name in TABLES[_table_of(schema_name)].references:
            if not document.get(name):
                if name == "link_id" and document.get("link_entity", "service") != "service":
                    continue
                self.report.add(row[AT], name, "", f"ORUK {schema_name}: must link to a record")

    # --- 3: links ----------------------------------------------------------------------------
    def known(self, table: str, key: Any) -> bool:
        return isinstance(key, str) and (
            key in self.rows.get(table, {}) or key in self.existing[table]
        )

    def _check_links(self) -> None:
        for table, rows in self.rows.items():
            for row in rows.values():
                for column in TABLES[table].references:
                    if column == "link_id" and row.get("link_entity", "service") != "service":
                        self.report.add(
                            row[AT],
                            "link_entity",
                            row["link_entity"],
                            "only attributes of services are stored",
                            severity=WARNING,
                        )
                        continue
                    target = TARGETS[column]
                    if row.get(column) and not self.known(target, row[column]):
                        self.report.add(
                            row[AT],
                            column,
                            row[column],
                            f"no {MODELS[target]._meta.verbose_name} with this id in the file "
                            "or the directory",
                        )
        for row in self.rows.get("taxonomy_terms", {}).values():
            for column, target in (("parent_id", "taxonomy_terms"), ("taxonomy_id", "taxonomies")):
                if row.get(column) and not self.known(target, row[column]):
                    self.report.add(
                        row[AT],
                        column,
                        row[column],
                        f"no {target[:-1] if target != 'taxonomies' else 'taxonomy'} with this "
                        "id: the term is stored without it",
                        severity=WARNING,
                    )

    # --- 4: records as the directory stores them --------------------------------------------
    def _children(self, table: str, link: str) -> dict[str, list[Row]]:
        by_parent: dict[str, list[Row]] = defaultdict(list)
        for row in self.rows.get(table, {}).values():
            if isinstance(row.get(link), str):
                by_parent[row[link]].append(row)
        return by_parent

    def _clean(self, instance: Any, row: Row, names: dict[str, str], exclude: list[str]) -> None:
        """full_clean `instance`; report each error against the ORUK field `names` maps it to
        (a field the schema check already faulted is not reported twice)."""
        try:
            instance.full_clean(exclude=exclude, validate_unique=False)
        except ValidationError as errors:
            faulted = {(p.record, p.field) for p in self.report.errors}
            for model_field, messages in errors.message_dict.items():
                default = "" if model_field == NON_FIELD_ERRORS else model_field
                oruk_field = names.get(model_field, default)
                if (row[AT], oruk_field) in faulted:
                    continue
                # One message per field: a coordinate of 100 breaks both the range and the
                # digits rule, and the first says it best.
                self.report.add(row[AT], oruk_field, row.get(oruk_field, ""), messages[0])

    def plan(self) -> Plan | None:
        self._check_links()
        plan = Plan(existing=self.existing)
        self._plan_taxonomies(plan)
        self._plan_organisations(plan)
        self._plan_services(plan)
        self._plan_locations(plan)
        for key, row in self.rows.get("service_at_locations", {}).items():
            plan.links[key] = (row.get("service_id", ""), row.get("location_id", ""))
        self._check_link_pairs(plan)
        return None if self.report.errors else plan

    @staticmethod
    def _present(row: Row, names: dict[str, str]) -> dict[str, Any]:
        """Model field -> value for the ORUK fields `row` has (`names`: model -> ORUK)."""
        return {
            model: row[oruk]
            for model, oruk in names.items()
            if oruk in row and not model.startswith("_") and "." not in oruk
        }

    def _plan_taxonomies(self, plan: Plan) -> None:
        names = {n: n for n in ("name", "description", "uri", "version")}
        for key, row in self.rows.get("taxonomies", {}).items():
            fields = self._present(row, names)
            self._clean(Taxonomy(**fields), row, names, [])
            plan.taxonomies[key] = fields
        names = {n: n for n in ("name", "description", "code", "term_uri")}
        for key, row in self.rows.get("taxonomy_terms", {}).items():
            fields = self._present(row, names)
            self._clean(TaxonomyTerm(**fields), row, names, [])
            taxonomy = row.get("taxonomy_id")
            if "taxonomy_id" in row or "taxonomy" in row:
                known = self.known("taxonomies", taxonomy)
                fields["taxonomy"] = taxonomy if known else None
                fields["taxonomy_label"] = "" if known else str(row.get("taxonomy", ""))
            if "parent_id" in row:
                parent = row["parent_id"]
                fields["parent"] = parent if self.known("taxonomy_terms", parent) else None
            plan.terms[key] = fields

    def _plan_organisations(self, plan: Plan) -> None:
        identifiers = self._children("organization_identifiers", "organization_id")
        for key, row in self.rows.get("organizations", {}).items():
            names = {n: n for n in ("name", "description", "email", "website")}
            fields = self._present(row, names)
            for identifier in identifiers.get(key, []):
                scheme = str(
                    identifier.get("identifier_scheme") or identifier.get("identifier_type", "")
                )
                target = IDENTIFIER_FIELDS.get(scheme.strip().lower())
                if target is None:
                    self.report.add(
                        identifier[AT],
                        "identifier_scheme",
                        scheme,
                        "only ODS (GB-NHS), charity (GB-CHC) and company (GB-COH) numbers are "
                        "stored",
                        severity=WARNING,
                    )
                    continue
                value = str(identifier.get("identifier", "")).strip().upper()
                if target == "company_number" and value.isdigit():
                    value = value.zfill(8)
                fields[target] = value
                names[target] = "identifier"
            self._clean(Organisation(kind=OrganisationKind.OTHER, **fields), row, names, [])
            plan.organisations[key] = fields

    def _plan_services(self, plan: Plan) -> None:
        languages = self._children("languages", "service_id")
        costs = self._children("cost_options", "service_id")
        attributes = self._children("attributes", "link_id")
        codes = {c.code: c for c in Community.objects.filter(kind=CommunityKind.LANGUAGE)}
        by_name = {c.label.lower(): c for c in codes.values()}
        names = {n: n for n in ("name", "description", "url", "email", "status", "alert")}
        names |= {"eligibility": "eligibility_description", "__all__": "minimum_age"}
        names |= {"cost_amount": "cost_options.amount"}
        for key, row in self.rows.get("services", {}).items():
            fields = self._present(row, names)
            for age in ("minimum_age", "maximum_age"):
                if age in row:
                    fields[age] = self._whole_number(row, age)
            if "assured_date" in row:
                fields["assured_date"] = self._parse(row, "assured_date", date.fromisoformat)
            modified = self._parse(row, "last_modified", datetime.fromisoformat)
            if modified is not None:
                fields["last_modified"] = (
                    modified if modified.tzinfo else modified.replace(tzinfo=UTC)
                )
            options = costs.get(key, [])
            if len(options) > 1:
                self.report.add(
                    options[1][AT], "", "", "only the first cost option is stored", severity=WARNING
                )
            if options:
                fields["cost_amount"] = options[0].get("amount")
                fields["cost_description"] = options[0].get("amount_description", "")
            self._clean(Service(**fields), row, names, ["organisation"])
            fields["organisation"] = row.get("organization_id")
            fields["languages"] = self._languages(languages.get(key), codes, by_name)
            terms = [
                a["taxonomy_term_id"] for a in attributes.get(key, []) if a.get("taxonomy_term_id")
            ]
            fields["taxonomy_terms"] = terms if key in attributes else None
            plan.services[key] = fields

    def _languages(self, rows: list[Row] | None, codes: dict, by_name: dict) -> list[str] | None:
        if rows is None:
            return None
        found = []
        for row in rows:
            code = str(row.get("code", "")).strip().lower()
            community = codes.get(code) or by_name.get(str(row.get("name", "")).strip().lower())
            if community is None:
                given = row.get("code") or row.get("name", "")
                self.report.add(
                    row[AT],
                    "code",
                    given,
                    "not a language healthgap lists (ISO 639 code or English name): not stored"
                    if given
                    else "a language without a code or name: not stored",
                    severity=WARNING,
                )
            else:
                found.append(community.code)
        return found

    def _plan_locations(self, plan: Plan) -> None:
        addresses = self._children("addresses", "location_id")
        access = self._children("accessibility", "location_id")
        owners = self._location_owners(plan)
        names = {n: n for n in ("location_type", "name", "description", "latitude", "longitude")}
        names |= {"__all__": "latitude", "address_1": "address_1", "city": "city"}
        names |= {"postcode": "postal_code", "country": "country", "county": "state_province"}
        # ORUK has no LSOA: a location already in the directory keeps its own, and its new
        # coordinates are checked against it by the model's rule (Location.clean).
        stored = {
            str(uuid): (pk, lsoa21)
            for uuid, pk, lsoa21 in Location.objects.filter(
                uuid__in=self.existing["locations"]
            ).values_list("uuid", "pk", "lsoa21")
        }
        for key, row in self.rows.get("locations", {}).items():
            fields = self._present(row, names)
            for axis in ("latitude", "longitude"):  # stored to 6 decimal places (about 0.1 m)
                if axis in fields:
                    fields[axis] = _degrees(fields[axis])
            found = sorted(
                addresses.get(key, []), key=lambda a: a.get("address_type") != "physical"
            )
            if len(found) > 1:
                self.report.add(
                    found[1][AT],
                    "",
                    "",
                    "only one address per location is stored",
                    severity=WARNING,
                )
            if found:
                fields |= self._address(found[0])
                if not fields.get("name"):
                    fields["name"] = fields["address_1"]
            if key in access:
                fields["accessibility"] = "\n".join(
                    a["description"] for a in access[key] if a.get("description")
                )
            values = {
                **row,
                **{k: v for k, v in (found[:1] or [{}])[0].items() if k not in ("id", AT)},
            }
            pk, lsoa21 = stored.get(key, (None, ""))
            self._clean(Location(pk=pk, lsoa21=lsoa21, **fields), values, names, ["organisation"])
            owner = row.get("organization_id") or owners.get(key)
            if owner is None and key not in self.existing["locations"]:
                self.report.add(
                    row[AT],
                    "organization_id",
                    "",
                    "a new location must belong to an organization: give organization_id, or "
                    "link it to a service with a service_at_location",
                )
            fields["organisation"] = owner
            plan.locations[key] = fields

    @staticmethod
    def _address(row: Row) -> dict[str, Any]:
        country = str(row.get("country", "GB")).strip().upper()
        postcode = str(row.get("postal_code", ""))
        return {
            "address_1": row.get("address_1", ""),
            "address_2": row.get("address_2", ""),
            "city": row.get("city", ""),
            "county": row.get("state_province", ""),
            "postcode": postcode,
            "country": country,
        }

    def _location_owners(self, plan: Plan) -> dict[str, str]:
        """Location id -> the organization of a service delivered there (from the file)."""
        owners = {}
        for row in self.rows.get("service_at_locations", {}).values():
            service = plan.services.get(row.get("service_id", ""))
            if service and service.get("organisation") and row.get("location_id"):
                owners.setdefault(row["location_id"], service["organisation"])
            elif row.get("location_id") and self.known("services", row.get("service_id")):
                org = (
                    Service.objects.filter(uuid=row["service_id"])
                    .values_list("organisation__uuid", flat=True)
                    .first()
                )
                if org:
                    owners.setdefault(row["location_id"], str(org))
        return owners

    def _check_link_pairs(self, plan: Plan) -> None:
        """A service is linked to a location once (in the file and in the directory)."""
        seen: dict[tuple[str, str], str] = {}
        for key, pair in plan.links.items():
            at = self.rows["service_at_locations"][key][AT]
            if pair in seen:
                self.report.add(
                    at,
                    "location_id",
                    pair[1],
                    f"the service is already linked here by {seen[pair]}",
                )
            seen[pair] = key
            if not all(_is_uuid(p) for p in pair):
                continue
            other = (
                ServiceAtLocation.objects.filter(service__uuid=pair[0], location__uuid=pair[1])
                .exclude(uuid=key)
                .values_list("uuid", flat=True)
                .first()
            )
            if other:
                self.report.add(
                    at,
                    "location_id",
                    pair[1],
                    f"the directory already links the service here (service_at_location {other})",
                )

    # --- typed fields -----------------------------------------------------------------------
    def _whole_number(self, row: Row, name: str) -> int | None:
        value = row.get(name)
        if value is None or isinstance(value, bool) or not isinstance(value, int | float):
            return None  # absent, or reported by the schema check
        if value != int(value) or value < 0:
            self.report.add(row[AT], name, value, "ages are stored in whole years (0 or more)")
            return None
        return int(value)

    def _parse(self, row: Row, name: str, parse: Any) -> Any:
        value = row.get(name)
        if value in (None, ""):
            return None
        try:
            return parse(str(value))
        except ValueError:
            kind = "date (YYYY-MM-DD)" if parse is date.fromisoformat else "date-time (ISO 8601)"
            self.report.add(row[AT], name, value, f"not a valid {kind}")
            return None


def _degrees(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return round(value, 6)
    return value


def _is_uuid(value: Any) -> bool:
    from uuid import UUID

    try:
        UUID(str(value))
    except ValueError:
        return False
    return True


def _table_of(schema_name: str) -> str:
    return next(t.name for t in TABLES.values() if t.schema == schema_name)


def check(bundle: Bundle, report: Report) -> Plan | None:
    """Check `bundle` completely, adding every problem to `report`; the Plan if no errors."""
    return Checker(bundle, report).plan()
