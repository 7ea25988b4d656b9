"""Upsert agencies, vendors and deployments from an Atlas of Surveillance CSV.

Whatever the file size, the import runs a fixed number of queries: everything that
exists is loaded into dicts first, then new rows go in with bulk_create and changed
rows with bulk_update. Re-importing the same file changes nothing; nothing is deleted.

Rules for records that staff may also edit by hand:
- a deployment with no AOSNUMBER for the same agency and technology is adopted (given
  the AOSNUMBER) rather than duplicated;
- sources from Atlas are tagged {"origin": "atlas"} and replaced on each import; other
  sources are kept;
- the Atlas "Summary" fills empty notes only, and an empty Atlas cell never blanks a field.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify

from ..models import Agency, AgencyKind, Deployment, Technology, Vendor
from ..signals import agencies_bulk_changed
from .normalise import agency_display_name, agency_key, technology_key, vendor_display_name
from .normalise import vendor_key as make_vendor_key
from .parsing import AtlasRow, RowError, read_atlas

BATCH = 1000
_AGENCY_FIELDS = ("atlas_ori", "city", "county", "kind")
_DEPLOYMENT_FIELDS = (
    "agency_id",
    "technology_id",
    "vendor_id",
    "first_reported",
    "sources",
    "notes",
    "atlas_id",
)


@dataclass
class ImportReport:
    dry_run: bool = False
    rows: int = 0
    agencies_created: int = 0
    agencies_updated: int = 0
    vendors_created: int = 0
    deployments_created: int = 0
    deployments_updated: int = 0
    deployments_unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return (
            self.agencies_created
            + self.agencies_updated
            + self.vendors_created
            + self.deployments_created
            + self.deployments_updated
        )

    def summary(self) -> str:
        verb = "Would change" if self.dry_run else "Changed"
        return (
            f"{verb} {self.changes} records from {self.rows} rows: "
            f"agencies {self.agencies_created} new, {self.agencies_updated} updated; "
            f"vendors {self.vendors_created} new; deployments {self.deployments_created} new, "
            f"{self.deployments_updated} updated, {self.deployments_unchanged} unchanged; "
            f"{len(self.errors)} bad rows."
            + (" Dry run: nothing was written." if self.dry_run else "")
        )


def _kind(row: AtlasRow) -> str:
    text = f"{agency_display_name(row.agency)} {row.lea_type}".lower()
    for needle, kind in (
        ("sheriff", AgencyKind.SHERIFF),
        ("police", AgencyKind.POLICE),
        ("school", AgencyKind.SCHOOL_DISTRICT),
    ):
        if needle in text:
            return kind
    return AgencyKind.STATE if "state" in row.juris_type.lower() else AgencyKind.OTHER


def _unique_slug(*bases: str, taken: set[str], max_length: int, fallback: str) -> str:
    """The first free slug of bases (e.g. name, then name + state), then numbered."""
    stems = [s[: max_length - 8] for s in (slugify(b) for b in bases) if s] or [fallback]
    for slug in stems:
        if slug not in taken:
            taken.add(slug)
            return slug
    slug, n = stems[-1], 2
    while slug in taken:
        slug, n = f"{stems[-1]}-{n}", n + 1
    taken.add(slug)
    return slug


class _Agencies:
    def __init__(self) -> None:
        self.by_key: dict[tuple[str, str], Agency] = {}
        self.by_ori: dict[str, Agency] = {}
        self.before: dict[int, tuple] = {}
        self.new: list[Agency] = []
        self.slugs: set[str] = set()
        for agency in Agency.objects.only("name", "slug", "state", *_AGENCY_FIELDS):
            self.by_key.setdefault(agency_key(agency.name, agency.state), agency)
            if agency.atlas_ori:
                self.by_ori.setdefault(agency.atlas_ori, agency)
            self.before[agency.pk] = tuple(getattr(agency, f) for f in _AGENCY_FIELDS)
            self.slugs.add(agency.slug)

    def for_row(self, row: AtlasRow) -> Agency:
        key = agency_key(row.agency, row.state)
        agency = self.by_key.get(key) or (self.by_ori.get(row.ori) if row.ori else None)
        if agency is None:
            name = agency_display_name(row.agency)  # parsing refused a name too long
            slug = _unique_slug(
                name, f"{name} {row.state}", taken=self.slugs, max_length=200, fallback="agency"
            )
            agency = Agency(name=name, slug=slug, state=row.state, kind=_kind(row))
            self.new.append(agency)
        self.by_key.setdefault(key, agency)
        if row.ori:
            agency.atlas_ori = row.ori
            self.by_ori.setdefault(row.ori, agency)
        agency.city = row.city or agency.city
        agency.county = row.county or agency.county
        if agency.kind == AgencyKind.OTHER:
            agency.kind = _kind(row)
        return agency

    def changed(self) -> list[Agency]:
        seen, out = set(), []
        for agency in self.by_key.values():
            if agency.pk in self.before and agency.pk not in seen:
                seen.add(agency.pk)
                if tuple(getattr(agency, f) for f in _AGENCY_FIELDS) != self.before[agency.pk]:
                    out.append(agency)
        return out


class _Vendors:
    def __init__(self) -> None:
        self.by_key: dict[str, Vendor] = {}
        self.new: list[Vendor] = []
        vendors = list(Vendor.objects.only("name", "slug"))
        self.slugs = {v.slug for v in vendors}
        for vendor in vendors:
            self.by_key.setdefault(make_vendor_key(vendor.name), vendor)

    def for_name(self, raw: str) -> Vendor | None:
        key = make_vendor_key(raw)
        if not key:
            return None
        if key not in self.by_key:
            name = vendor_display_name(raw)  # parsing refused a name too long
            slug = _unique_slug(name, taken=self.slugs, max_length=150, fallback="vendor")
            self.by_key[key] = Vendor(name=name, slug=slug)
            self.new.append(self.by_key[key])
        return self.by_key[key]


def _technology_map() -> dict[str, Technology]:
    found: dict[str, Technology] = {}
    for technology in Technology.objects.all():
        found.setdefault(technology_key(technology.name), technology)
        found.setdefault(technology_key(technology.slug), technology)
    return found


_QUOTES = str.maketrans("", "", '"\u201c\u201d')


def _title_key(title: str) -> str:
    """A source title as the same source whoever typed it: case, spacing and the quotes
    around an article's title (the Atlas leaves them out; fresno.md writes them) aside."""
    return " ".join(title.translate(_QUOTES).casefold().split())


def _merged_sources(existing: list, atlas: list[dict]) -> list[dict]:
    """The Atlas's sources, then the others kept: a kept source the Atlas now lists (same
    URL, or same title where it has no URL) is the Atlas's, not a second copy."""
    atlas_urls = {s["url"] for s in atlas if s.get("url")}
    atlas_titles = {_title_key(s["title"]) for s in atlas if s.get("title")}

    def listed_by_atlas(source) -> bool:
        if not isinstance(source, dict):
            return False
        if source.get("origin") == "atlas" or source.get("url") in atlas_urls:
            return True
        return not source.get("url") and _title_key(source.get("title", "")) in atlas_titles

    kept = [s for s in existing or [] if not listed_by_atlas(s)]
    return [*({**s, "origin": "atlas"} for s in atlas), *kept]


def atlas_import(*, data: bytes, dry_run: bool = False) -> ImportReport:
    """Import an Atlas CSV (bytes). Raises NotAtlasCsv, with one line, if it is not one."""
    report = ImportReport(dry_run=dry_run)
    parsed = read_atlas(data)  # checks the header before anything touches the database
    with transaction.atomic():
        _import(parsed, report)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _import(parsed, report: ImportReport) -> None:
    technologies = _technology_map()
    agencies, vendors = _Agencies(), _Vendors()
    rows: list[tuple[AtlasRow, Agency, Technology, Vendor | None]] = []
    first_line: dict[str, int] = {}
    for item in parsed:
        report.rows += 1
        if isinstance(item, RowError):
            report.errors.append(item)
            continue
        if item.aos_id in first_line:
            reason = f"AOSNUMBER {item.aos_id} is already used on line {first_line[item.aos_id]}"
            report.errors.append(RowError(item.line, reason, item.aos_id))
            continue
        technology = technologies.get(technology_key(item.technology))
        if technology is None:
            reason = f"unknown technology {item.technology!r} (no such Technology in the database)"
            report.errors.append(RowError(item.line, reason, item.aos_id))
            continue
        first_line[item.aos_id] = item.line
        agency = agencies.for_row(item)
        rows.append((item, agency, technology, vendors.for_name(item.vendor)))

    Agency.objects.bulk_create(agencies.new, batch_size=BATCH)
    Vendor.objects.bulk_create(vendors.new, batch_size=BATCH)
    changed_agencies = agencies.changed()
    Agency.objects.bulk_update(changed_agencies, list(_AGENCY_FIELDS), batch_size=BATCH)
    report.agencies_created, report.agencies_updated = len(agencies.new), len(changed_agencies)
    report.vendors_created = len(vendors.new)
    _upsert_deployments(rows, report)
    # bulk_update sends no post_save; the denial log shows agency names and counties.
    agencies_bulk_changed.send(sender=Agency)


def _upsert_deployments(rows, report: ImportReport) -> None:
    # Plain tuples, not model instances: 50,000 instances cost more than the import itself.
    by_atlas: dict[str, tuple] = {}
    manual: dict[tuple[int, int], list[tuple]] = defaultdict(list)
    taken: set[tuple[int, int, str]] = set()
    existing = Deployment.objects.order_by("pk").values_list("pk", "product", *_DEPLOYMENT_FIELDS)
    for pk, product, *values in existing.iterator(chunk_size=5000):
        state = (pk, product, tuple(values))
        taken.add((values[0], values[1], product))
        if values[-1]:
            by_atlas[values[-1]] = state
        else:
            manual[(values[0], values[1])].append(state)

    new: list[Deployment] = []
    changed: list[Deployment] = []
    for row, agency, technology, vendor in rows:
        current = by_atlas.get(row.aos_id)
        pair = (agency.pk, technology.pk)
        if current is None and manual.get(pair):
            current = manual[pair].pop(0)
        if current is None:
            # Atlas may list one technology twice for an agency (two vendors): keep both.
            candidates = ("", vendor.name if vendor else "", row.aos_id)
            product = next(p for p in candidates if (*pair, p) not in taken)
            taken.add((*pair, product))
            new.append(
                Deployment(
                    agency=agency,
                    technology=technology,
                    vendor=vendor,
                    product=product,
                    first_reported=row.first_reported,
                    sources=_merged_sources([], row.sources),
                    notes=row.summary,
                    atlas_id=row.aos_id,
                )
            )
            continue
        pk, product, before = current
        agency_id, technology_id, vendor_id, first_reported, sources, notes, _ = before
        if (agency_id, technology_id) != pair:
            if (*pair, product) in taken:
                reason = f"another deployment already links {agency.name} to {technology.name}"
                report.errors.append(RowError(row.line, reason, row.aos_id))
                continue
            taken.add((*pair, product))
        after = (
            *pair,
            vendor.pk if vendor else vendor_id,
            row.first_reported or first_reported,
            _merged_sources(sources, row.sources),
            notes or row.summary,
            row.aos_id,
        )
        if after == before:
            report.deployments_unchanged += 1
        else:
            changed.append(Deployment(pk=pk, **dict(zip(_DEPLOYMENT_FIELDS, after, strict=True))))

    Deployment.objects.bulk_create(new, batch_size=BATCH)
    fields = ["agency", "technology", "vendor", "first_reported", "sources", "notes", "atlas_id"]
    Deployment.objects.bulk_update(changed, fields, batch_size=BATCH)
    report.deployments_created, report.deployments_updated = len(new), len(changed)
