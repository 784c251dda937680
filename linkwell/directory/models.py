"""The directory, modelled on HSDS 3.0 as profiled by Open Referral UK.

Field names follow the standard so the feed maps one to one. What the partnership needs and
the standard lacks (operating-model tier, partner, cost, funding, evidence, demo marking) is
held in extra columns here and published as HSDS attributes against Linkwell taxonomies, so
the feed stays conformant (see docs/adr/0003-partnership-fields-as-hsds-attributes.md).
"""

import secrets

from django.db import models
from django.db.models.functions import Lower

from linkwell.core.models import TrackedModel, UUIDModel


class Taxonomy(UUIDModel):
    key = models.SlugField(max_length=60, unique=True, help_text="Stable short name.")
    name = models.CharField(max_length=200)
    description = models.TextField()
    uri = models.URLField(blank=True)
    version = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(UUIDModel):
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.CASCADE, related_name="terms")
    code = models.CharField(max_length=100, help_text="The term's code within its taxonomy.")
    name = models.CharField(max_length=200)
    description = models.TextField()
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    term_uri = models.URLField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["taxonomy", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "code"], name="term_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name


class Organization(UUIDModel, TrackedModel):
    """An HSDS organisation: whoever runs services (may be a partner from accounts)."""

    name = models.CharField(max_length=255)
    description = models.TextField()
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True, max_length=500)
    logo = models.URLField(blank=True, max_length=500)
    uri = models.URLField(blank=True, max_length=500)
    parent_organization = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    partner = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="directory_organizations",
        help_text="The partner organisation whose editors keep this organisation's listings.",
    )
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(Lower("name"), name="organization_lower_name")]

    def __str__(self) -> str:
        return self.name


class OrganizationIdentifier(UUIDModel):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="identifiers"
    )
    identifier_scheme = models.CharField(max_length=100, blank=True)
    identifier_type = models.CharField(max_length=100)
    identifier = models.CharField(max_length=100)


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"
    DEFUNCT = "defunct", "Defunct"
    TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"


class Tier(models.IntegerChoices):
    """The partnership's operating-model tiers of prevention (review, section 13)."""

    UNIVERSAL = 1, "Tier 1: universal and community support, advice and information"
    UNIVERSAL_PLUS = 2, "Tier 2: additional needs met through 'universal plus'"
    TARGETED = 3, "Tier 3: targeted early help and intervention"
    ACUTE = 4, "Tier 4: acute need with a prevention element"


class FundingType(models.TextChoices):
    RECURRENT = "recurrent", "Recurrent"
    SHORT_TERM = "short_term", "Short-term"


class Commissioning(models.TextChoices):
    INTERNAL = "internal", "Commissioned internally"
    EXTERNAL = "external", "Commissioned externally"


class EvidenceRating(models.TextChoices):
    """Early Intervention Foundation evidence levels, the UK's common scale for early help."""

    NOT_RATED = "not_rated", "Not yet rated"
    NL2 = "eif_nl2", "Not yet level 2 (EIF NL2)"
    PRELIMINARY = "eif_2", "Preliminary evidence (EIF level 2)"
    EFFICACY = "eif_3", "Evidence of efficacy (EIF level 3)"
    EFFECTIVE = "eif_4", "Evidence of effectiveness (EIF level 4)"


def new_search_rowid() -> int:
    """A random 62-bit integer: SQLite's full-text index needs an integer key per service."""
    return secrets.randbits(62) + 1


class Service(UUIDModel, TrackedModel):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    url = models.URLField(blank=True, max_length=500)
    email = models.EmailField(blank=True)
    status = models.CharField(
        max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE, db_index=True
    )
    fees = models.TextField(blank=True)
    accreditations = models.TextField(blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    assured_date = models.DateField(
        null=True, blank=True, help_text="When the listing was last reviewed."
    )
    assurer_email = models.EmailField(blank=True)
    alert = models.TextField(blank=True)
    # Nullable without a default so SQLite adds the column in place: a table rebuild would drop
    # the full-text index's triggers (migration 0002). Empty and NULL both mean "not given".
    eligibility_description = models.TextField(  # noqa: DJ001
        null=True, blank=True, help_text="Who the service is for, in the provider's words."
    )
    last_modified = models.DateTimeField(db_index=True)

    # Partnership fields, published as attributes.
    tier = models.PositiveSmallIntegerField(choices=Tier.choices, null=True, blank=True)
    tier_scheme = models.ForeignKey(
        "TierScheme", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tier_in_scheme = models.CharField(
        max_length=50, blank=True, help_text="The tier as the partner gave it, in its own scheme."
    )
    partner = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="services",
    )
    department = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="department_services",
    )
    annual_cost = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    funding_type = models.CharField(max_length=20, choices=FundingType.choices, blank=True)
    commissioning = models.CharField(max_length=20, choices=Commissioning.choices, blank=True)
    evidence_rating = models.CharField(
        max_length=20, choices=EvidenceRating.choices, default=EvidenceRating.NOT_RATED
    )
    is_demo = models.BooleanField(default=False, db_index=True)
    demo_fields = models.JSONField(
        default=list, blank=True, help_text="Which details were invented for demonstration."
    )
    source = models.CharField(max_length=500, blank=True, help_text="Feed or file it came from.")
    # What the last import saved (actions.fingerprint), so re-importing an unchanged record
    # skips it; any other write clears it. Nullable without a default, like
    # eligibility_description, so SQLite adds the column in place (its FTS triggers stay).
    import_fingerprint = models.CharField(  # noqa: DJ001
        max_length=32, null=True, blank=True, editable=False
    )
    search_terms = models.TextField(
        blank=True, help_text="Organisation, taxonomy, language and place words, for search."
    )
    search_rowid = models.BigIntegerField(unique=True, default=new_search_rowid, editable=False)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["tier", "status"]),
            models.Index(fields=["assured_date"]),
            models.Index(fields=["minimum_age", "maximum_age"]),
            # Unfiltered feed pages walk services by name then id (ORUK paging order).
            models.Index(fields=["name", "id"], name="directory_service_name_id"),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceAttribute(UUIDModel):
    """An HSDS attribute linking a service to a taxonomy term (optionally with a value)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="attributes")
    taxonomy_term = models.ForeignKey(
        TaxonomyTerm, on_delete=models.CASCADE, related_name="service_attributes"
    )
    value = models.CharField(max_length=255, blank=True)
    label = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "taxonomy_term"], name="attribute_unique"),
        ]
        indexes = [models.Index(fields=["taxonomy_term", "service"])]


class Location(UUIDModel, TrackedModel):
    class LocationType(models.TextChoices):
        PHYSICAL = "physical", "Physical"
        POSTAL = "postal", "Postal"
        VIRTUAL = "virtual", "Virtual"

    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="locations"
    )
    location_type = models.CharField(
        max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    url = models.URLField(blank=True, max_length=500)
    name = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    external_identifier = models.CharField(max_length=100, blank=True)
    external_identifier_type = models.CharField(max_length=50, blank=True)
    postcode = models.CharField(max_length=8, blank=True, db_index=True)
    ward = models.ForeignKey(
        "places.Ward", null=True, blank=True, on_delete=models.SET_NULL, related_name="locations"
    )
    is_demo = models.BooleanField(default=False)

    class Meta:
        # With the id, a proximity search reads positions and joins links from the index alone.
        indexes = [models.Index(fields=["latitude", "longitude", "id"], name="location_position")]

    def __str__(self) -> str:
        return self.name or self.postcode or str(self.id)


class Address(UUIDModel):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = models.CharField(max_length=255, blank=True)
    address_1 = models.CharField(max_length=255)
    address_2 = models.CharField(max_length=255, blank=True)
    city = models.CharField(max_length=100)
    region = models.CharField(max_length=100, blank=True)
    state_province = models.CharField(max_length=100)
    postal_code = models.CharField(max_length=10)
    country = models.CharField(max_length=2, default="GB")
    address_type = models.CharField(max_length=20, default="physical")


class Accessibility(UUIDModel):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="accessibility")
    description = models.TextField(blank=True)
    details = models.TextField(blank=True)
    url = models.URLField(blank=True, max_length=500)

    class Meta:
        verbose_name_plural = "accessibility"


class ServiceAtLocation(UUIDModel):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    description = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="sal_unique"),
        ]
        # From a location to its services without reading the table (proximity search).
        indexes = [models.Index(fields=["location", "service"], name="sal_location_service")]


class Schedule(UUIDModel):
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    freq = models.CharField(max_length=10, blank=True)  # WEEKLY / MONTHLY
    interval = models.PositiveSmallIntegerField(null=True, blank=True)
    byday = models.CharField(max_length=40, blank=True, help_text="e.g. MO,WE or 1MO")
    bymonthday = models.CharField(max_length=40, blank=True)
    description = models.TextField(blank=True)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    schedule_link = models.URLField(blank=True, max_length=500)
    attending_type = models.CharField(max_length=255, blank=True)
    notes = models.TextField(blank=True)


class Contact(UUIDModel):
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(max_length=255, blank=True)
    title = models.CharField(max_length=255, blank=True)
    department = models.CharField(max_length=255, blank=True)
    email = models.EmailField(blank=True)


class Phone(UUIDModel):
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    number = models.CharField(max_length=50)
    extension = models.CharField(max_length=20, blank=True)
    type = models.CharField(max_length=20, blank=True)
    description = models.TextField(blank=True)


class CostOption(UUIDModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    option = models.CharField(max_length=255, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    amount_description = models.TextField(blank=True)


class Funding(UUIDModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="funding")
    source = models.TextField()


class Language(UUIDModel):
    """A language a service is offered in. `code` is ISO 639 (e.g. ur, pl, pa)."""

    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="languages"
    )
    phone = models.ForeignKey(
        Phone, null=True, blank=True, on_delete=models.CASCADE, related_name="languages"
    )
    name = models.CharField(max_length=100, blank=True)
    code = models.CharField(max_length=10, blank=True, db_index=True)
    note = models.TextField(blank=True)


class ServiceArea(UUIDModel):
    """Where a service is available, as against where it is based (its locations)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    extent = models.TextField(blank=True)
    extent_type = models.CharField(max_length=20, blank=True)
    uri = models.URLField(blank=True, max_length=500)
    ward = models.ForeignKey(
        "places.Ward",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_areas",
    )
    constituency = models.ForeignKey(
        "places.Constituency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_areas",
    )
    place = models.ForeignKey(
        "places.Place",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Set when the service covers the whole place.",
    )

    class Meta:
        # A service's coverage is checked from the index alone (proximity search).
        indexes = [
            models.Index(
                fields=["service", "ward", "constituency", "place"], name="service_area_coverage"
            )
        ]


class SearchPoint(models.Model):
    """What a search reads instead of joining seven tables per candidate (docs/adr/0013).

    One row per located service-at-location and per area the service covers (`coverage`:
    "*" for a service that names no area, else "W<ward id>", "C<constituency id>" or
    "P<place id>"); a service with no located location has one row with no position. It
    carries copies of the service's facts that searches filter on, so one read of an index
    range (coverage, then latitude) answers distance, count and filters together. Derived
    from the listing by `search_points.refresh` in the same transaction as every save;
    never edited, never exported.
    """

    id = models.BigAutoField(primary_key=True)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    link_id = models.UUIDField(null=True, help_text="The service_at_location, if located.")
    service_key = models.BigIntegerField(help_text="The service's search_rowid.")
    coverage = models.CharField(max_length=24)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    status = models.CharField(max_length=20)
    assured_date = models.DateField(null=True)
    minimum_age = models.PositiveSmallIntegerField(null=True)
    maximum_age = models.PositiveSmallIntegerField(null=True)
    needs = models.BigIntegerField(default=0, help_text="Bit i: vocabularies.NEEDS term i.")
    life_stages = models.IntegerField(default=0, help_text="Bit i: LIFE_STAGES term i.")
    days = models.SmallIntegerField(default=0, help_text="Bit i: open on DAYS[i] (MO..SU).")
    free = models.BooleanField(default=False)
    step_free = models.BooleanField(default=False)
    online = models.BooleanField(default=False)
    in_person = models.BooleanField(default=False)
    languages = models.TextField(default="", help_text='Codes, lower case: "|en|ur|".')

    class Meta:
        # Key order: one range per coverage key, narrowed by latitude; the rest is there so
        # counting a circle (and filtering it) reads the index alone.
        indexes = [
            models.Index(
                fields=[
                    "coverage",
                    "latitude",
                    "longitude",
                    "service",
                    "service_key",
                    "link_id",
                    "needs",
                    "life_stages",
                    "free",
                    "status",
                    "assured_date",
                    "minimum_age",
                    "maximum_age",
                ],
                name="search_point_circle",
            ),
            models.Index(fields=["service_key"], name="search_point_service_key"),
        ]

    def __str__(self) -> str:
        return f"{self.service_id} at {self.latitude},{self.longitude} ({self.coverage})"


class TierScheme(models.Model):
    """A partner's own tier scheme, with a crosswalk of each level into the operating model."""

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name


class TierLevel(models.Model):
    scheme = models.ForeignKey(TierScheme, on_delete=models.CASCADE, related_name="levels")
    code = models.CharField(
        max_length=50, help_text="As the partner writes it, e.g. '0' or 'acute'."
    )
    label = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    tier = models.PositiveSmallIntegerField(choices=Tier.choices)

    class Meta:
        ordering = ["scheme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="tier_level_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme.name} {self.label} -> tier {self.tier}"


class ImportRun(models.Model):
    """One import of a feed or spreadsheet: what came in, what was wrong, what was committed.

    A run writes in short transactions (docs/adr/0019), so the counts grow as it goes; `pid`,
    `host` and `heartbeat_at` tell a run still at work from one whose process was killed.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        COMMITTED = "committed", "Committed"
        REFUSED = "refused", "Refused (bad rows, nothing committed)"
        DRY_RUN = "dry_run", "Dry run"
        FAILED = "failed", "Failed"
        INTERRUPTED = "interrupted", "Interrupted (re-run the same import to complete it)"

    kind = models.CharField(max_length=20)  # oruk / spreadsheet
    source = models.CharField(max_length=1000)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    dry_run = models.BooleanField(default=False)
    partial = models.BooleanField(default=False)
    rows_read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    host = models.CharField(max_length=255, blank=True)  # where the importing process runs
    pid = models.PositiveIntegerField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # last sign of life

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.kind} import of {self.source} ({self.status})"


class ImportUpload(models.Model):
    """A file uploaded on the imports page, kept in the database until its run is done.

    In the database, not on a disk, so a worker on another host (or container) reads what the
    web server received; deleted when the run ends (a checked-only run keeps it a while, so
    "import it now" needs no second upload). Why: docs/adr/0038-imports-from-the-web.md.
    """

    run = models.OneToOneField(ImportRun, on_delete=models.CASCADE, related_name="upload")
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    scheme = models.CharField(max_length=100, blank=True)  # a spreadsheet's default tier scheme
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.filename


class ListingChange(UUIDModel):
    """A provider's proposed correction to a listing, published only once an admin approves it.

    `proposed` is the whole listing as a `ServiceRecord` (JSON, see `listing_records`), so
    approving it goes through `actions.save_services` like every other write. `base_version` is
    the service's `updated_at` when the editor opened the form: if the service has changed since,
    publishing would overwrite someone else's work, and the reviewer is told so.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="changes")
    proposed = models.JSONField()
    base_version = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    submitted_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewer_note = models.TextField(blank=True)

    class Meta:
        ordering = ["submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["service"],
                condition=models.Q(status="submitted"),
                name="listing_change_one_open_per_service",
            ),
        ]

    def __str__(self) -> str:
        return f"Change to {self.service} ({self.status})"


class StaleListingNotice(models.Model):
    """One day's e-mail to a partner about its stale listings: sent at most once a day."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="stale_notices"
    )
    sent_on = models.DateField()
    recipients = models.JSONField(default=list)
    service_ids = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "sent_on"], name="stale_notice_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"Stale listings notice to {self.organisation} on {self.sent_on}"
