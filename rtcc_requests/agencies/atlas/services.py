"""Upsert agencies, vendors and deployments from an Atlas of Surveillance CSV.

The file is read as a stream and imported ROWS_PER_BATCH good rows at a time, so the whole
Atlas export (tens of thousands of rows) imports in flat memory and a fixed number of queries
per batch: a batch looks up the agencies and deployments its rows may be, then writes new
rows with bulk_create and changed ones with bulk_update. Between batches only small keys
are kept, for what the whole file or table decides: agency keys, ORIs and slugs to ids, the
vendors, the line of every AOSNUMBER read, and every deployment's (agency, technology,
product). The import is one transaction (a dry run rolls it back), so a file is never half
imported. Re-importing the same file changes nothing; nothing is deleted.

Rules for records that staff may also edit by hand:
- a deployment with no AOSNUMBER for the same agency and technology is adopted (given
  the AOSNUMBER) rather than duplicated;
- sources from Atlas are tagged {"origin": "atlas"} and replaced on each import; other
  sources are kept;
- the Atlas "Summary" fills empty notes only, and an empty Atlas cell never blanks a field.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import BinaryIO

from django.db import transaction
from django.utils.text import slugify

from ..models import Agency, AgencyKind, Deployment, Technology, Vendor
from ..signals import agencies_bulk_changed
from .normalise import agency_display_name, agency_key, technology_key, vendor_display_name
from .normalise import vendor_key as make_vendor_key
from .parsing import AtlasRow, RowError, read_atlas

# Good rows imported together: enough that the per-batch queries cost little per row, few
# enough that a batch's rows and model instances take a few MB.
ROWS_PER_BATCH = 1000
# Rows per INSERT or UPDATE statement (SQLite sends fewer: its limit on query parameters).
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


def _agency_state(agency: Agency) -> tuple:
    return tuple(getattr(agency, f) for f in _AGENCY_FIELDS)


class _Agencies:
    """Agencies by matching key and ORI: ids for the whole file, instances for one batch.

    An index entry is an agency's id, or, until its batch is saved, the new Agency itself.
    A row that names an agency an earlier batch created finds it by id, as any other.
    """

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, str], int | Agency] = {}
        self.by_ori: dict[str, int | Agency] = {}
        self.slugs: set[str] = set()
        self.created: set[int] = set()
        # Agencies' fields when the import first read them, and as it last wrote them.
        self._initial: dict[int, tuple] = {}
        self._written: dict[int, tuple] = {}
        self._loaded: dict[int, Agency] = {}
        self._before: dict[int, tuple] = {}
        self._new: list[Agency] = []
        self._unsaved: list[tuple[dict, object]] = []  # index entries that hold a new Agency
        existing = Agency.objects.values_list("pk", "name", "state", "atlas_ori", "slug")
        for pk, name, state, ori, slug in existing.iterator(chunk_size=5000):
            self.by_key.setdefault(agency_key(name, state), pk)
            if ori:
                self.by_ori.setdefault(ori, pk)
            self.slugs.add(slug)

    def load(self, rows: list[AtlasRow]) -> None:
        """Fetch the existing agencies these rows may be, in one query, to update them."""
        ids = set()
        for row in rows:
            for found in (
                self.by_key.get(agency_key(row.agency, row.state)),
                self.by_ori.get(row.ori) if row.ori else None,
            ):
                if isinstance(found, int):
                    ids.add(found)
        fields = ("name", "slug", "state", *_AGENCY_FIELDS)
        self._loaded = Agency.objects.only(*fields).in_bulk(ids)
        self._before = {pk: _agency_state(agency) for pk, agency in self._loaded.items()}
        for pk, state in self._before.items():
            self._initial.setdefault(pk, state)

    def for_row(self, row: AtlasRow) -> Agency:
        key = agency_key(row.agency, row.state)
        found = self.by_key.get(key) or (self.by_ori.get(row.ori) if row.ori else None)
        agency = self._loaded[found] if isinstance(found, int) else found
        if agency is None:
            name = agency_display_name(row.agency)  # parsing refused a name too long
            slug = _unique_slug(
                name, f"{name} {row.state}", taken=self.slugs, max_length=200, fallback="agency"
            )
            agency = Agency(name=name, slug=slug, state=row.state, kind=_kind(row))
            self._new.append(agency)
        self._remember(self.by_key, key, agency)
        if row.ori:
            agency.atlas_ori = row.ori
            self._remember(self.by_ori, row.ori, agency)
        agency.city = row.city or agency.city
        agency.county = row.county or agency.county
        if agency.kind == AgencyKind.OTHER:
            agency.kind = _kind(row)
        return agency

    def updated(self) -> int:
        """Agencies that were there before and are not as they were: one batch may change
        what another changes back (two rows with two cities), and that is no change."""
        return sum(
            1
            for pk, state in self._written.items()
            if pk not in self.created and state != self._initial[pk]
        )

    def _remember(self, index: dict, key, agency: Agency) -> None:
        if key not in index:  # the first agency a key or ORI was seen for keeps it
            index[key] = agency if agency.pk is None else agency.pk
            if agency.pk is None:
                self._unsaved.append((index, key))

    def save(self) -> None:
        """Write the batch's new and changed agencies; later batches know them by id."""
        Agency.objects.bulk_create(self._new, batch_size=BATCH)
        self.created.update(agency.pk for agency in self._new)
        for index, key in self._unsaved:
            index[key] = index[key].pk
        changed = [
            agency
            for pk, agency in self._loaded.items()
            if _agency_state(agency) != self._before[pk]
        ]
        Agency.objects.bulk_update(changed, list(_AGENCY_FIELDS), batch_size=BATCH)
        self._written.update((agency.pk, _agency_state(agency)) for agency in changed)
        self._loaded, self._before, self._new, self._unsaved = {}, {}, [], []


class _Vendors:
    """Every vendor by matching key, for the whole file: there are hundreds, not one a row."""

    def __init__(self) -> None:
        self.by_key: dict[str, Vendor] = {}
        self.created = 0
        self._new: list[Vendor] = []
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
            self._new.append(self.by_key[key])
        return self.by_key[key]

    def save(self) -> None:
        Vendor.objects.bulk_create(self._new, batch_size=BATCH)
        self.created += len(self._new)
        self._new = []


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


def _states(found) -> list[tuple]:
    """(pk, product, values of _DEPLOYMENT_FIELDS): plain tuples, for what is only compared."""
    columns = found.order_by().values_list("pk", "product", *_DEPLOYMENT_FIELDS)
    return [(pk, product, tuple(values)) for pk, product, *values in columns]


class _Deployments:
    """What the import must know of every deployment, not only of a batch's: the products
    each agency and technology has (one of each), and the hand-made deployments (no
    AOSNUMBER) a row may adopt. Small tuples, read once; asking for them per batch would
    read all the deployments of a batch's agencies every time."""

    def __init__(self) -> None:
        self.taken: set[tuple[int, int, str]] = set()
        self.hand_made: dict[tuple[int, int], list[int]] = defaultdict(list)  # oldest first
        every = Deployment.objects.order_by("pk").values_list(
            "pk", "agency_id", "technology_id", "product", "atlas_id"
        )
        for pk, agency_id, technology_id, product, atlas_id in every.iterator(chunk_size=5000):
            self.taken.add((agency_id, technology_id, product))
            if not atlas_id:
                self.hand_made[(agency_id, technology_id)].append(pk)

    def known(self, rows) -> list[tuple | None]:
        """Each row's deployment, as _states gives it, or None: the one with its AOSNUMBER,
        else the oldest hand-made one for its agency and technology."""
        aos_ids = [row.aos_id for row, *_ in rows]
        # NOT atlas_id = "": the condition of the unique index on atlas_id, so it is used.
        found = Deployment.objects.filter(atlas_id__in=aos_ids).exclude(atlas_id="")
        by_atlas = {state[2][-1]: state for state in _states(found)}  # by atlas_id
        adopted: dict[int, int] = {}  # row index -> hand-made deployment
        for index, (row, agency, technology, _) in enumerate(rows):
            if row.aos_id not in by_atlas and self.hand_made.get((agency.pk, technology.pk)):
                adopted[index] = self.hand_made[(agency.pk, technology.pk)].pop(0)
        by_pk = {}
        if adopted:
            by_pk = {
                state[0]: state
                for state in _states(Deployment.objects.filter(pk__in=adopted.values()))
            }
        return [
            by_pk.get(adopted[index]) if index in adopted else by_atlas.get(row.aos_id)
            for index, (row, *_) in enumerate(rows)
        ]


def atlas_import(
    *, data: bytes | BinaryIO, dry_run: bool = False, batch_size: int = ROWS_PER_BATCH
) -> ImportReport:
    """Import an Atlas CSV: its bytes, or a binary file object, which is read as a stream.

    Raises NotAtlasCsv, with one line, if it is not one. `batch_size` good rows are written
    at a time (tests make it small to see several batches).
    """
    report = ImportReport(dry_run=dry_run)
    parsed = read_atlas(data)  # checks the header before anything touches the database
    with transaction.atomic():
        _import(parsed, report, batch_size=batch_size)
        if dry_run:
            transaction.set_rollback(True)
    # A batch's database errors come after its rows' parsing errors: list them by line.
    report.errors.sort(key=lambda error: error.line)
    return report


def _import(parsed, report: ImportReport, *, batch_size: int) -> None:
    technologies = _technology_map()
    agencies, vendors, deployments = _Agencies(), _Vendors(), _Deployments()
    # Every AOSNUMBER read so far, for the whole file: a repeat on any later line is an error.
    first_line: dict[str, int] = {}
    batch: list[tuple[AtlasRow, Technology]] = []
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
        batch.append((item, technology))
        if len(batch) >= batch_size:
            _import_batch(batch, agencies, vendors, deployments, report)
            batch = []
    if batch:
        _import_batch(batch, agencies, vendors, deployments, report)
    report.agencies_created = len(agencies.created)
    report.agencies_updated = agencies.updated()
    report.vendors_created = vendors.created
    # bulk_update sends no post_save; the denial log shows agency names and counties.
    agencies_bulk_changed.send(sender=Agency)


def _import_batch(
    batch: list[tuple[AtlasRow, Technology]],
    agencies: _Agencies,
    vendors: _Vendors,
    deployments: _Deployments,
    report: ImportReport,
) -> None:
    agencies.load([row for row, _ in batch])
    rows = [
        (row, agencies.for_row(row), technology, vendors.for_name(row.vendor))
        for row, technology in batch
    ]
    agencies.save()
    vendors.save()
    _upsert_deployments(rows, deployments, report)


def _upsert_deployments(rows, deployments: _Deployments, report: ImportReport) -> None:
    taken = deployments.taken
    new: list[Deployment] = []
    changed: list[Deployment] = []
    for (row, agency, technology, vendor), current in zip(
        rows, deployments.known(rows), strict=True
    ):
        pair = (agency.pk, technology.pk)
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
    report.deployments_created += len(new)
    report.deployments_updated += len(changed)
