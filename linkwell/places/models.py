"""Geography and need data of a place: constituencies, wards, small areas, postcodes, GP practices.

Boundaries are kept as GeoJSON geometry (WGS84 lon/lat) and handled with Shapely, so SQLite
works with no spatial extension. Codes are the ONS / NHS codes of the source files.
"""

from django.db import models


class Place(models.Model):
    """A partnership area loaded from one or more folders of open data (`linkwell load_place`);
    `source_dir` holds the folders joined by os.pathsep."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    source_dir = models.CharField(max_length=500, blank=True)
    attributions = models.TextField(blank=True, help_text="Required credits, shown in the product.")
    loaded_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class Constituency(models.Model):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="constituencies")
    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=200)
    boundary_set = models.CharField(max_length=50, blank=True)
    geometry = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "constituencies"

    def __str__(self) -> str:
        return self.name


class Ward(models.Model):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="wards")
    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=200)
    constituency = models.ForeignKey(
        Constituency, null=True, blank=True, on_delete=models.SET_NULL, related_name="wards"
    )
    locality = models.CharField(
        max_length=200, blank=True, help_text="Area committee / locality the ward belongs to."
    )
    local_authority_code = models.CharField(max_length=16, blank=True)
    local_authority_name = models.CharField(max_length=200, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    population_year = models.CharField(max_length=20, blank=True)
    geometry = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SmallArea(models.Model):
    """A Lower layer Super Output Area (LSOA), 2011 or 2021 vintage."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="small_areas")
    # Not unique alone: an LSOA unchanged in 2021 keeps its 2011 code (308 of Bradford's 310).
    code = models.CharField(max_length=16, db_index=True)
    name = models.CharField(max_length=200)
    vintage = models.PositiveSmallIntegerField(help_text="Census year of the boundaries.")
    ward = models.ForeignKey(
        Ward, null=True, blank=True, on_delete=models.SET_NULL, related_name="small_areas"
    )
    ward_share = models.FloatField(
        null=True, blank=True, help_text="Share of the area's postcodes in its best-fit ward."
    )
    msoa_code = models.CharField(max_length=16, blank=True)
    msoa_name = models.CharField(max_length=200, blank=True)
    local_authority_code = models.CharField(max_length=16, blank=True)
    local_authority_name = models.CharField(max_length=200, blank=True)
    geometry = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["code", "vintage"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "vintage"], name="small_area_unique_per_vintage"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code}, {self.vintage})"


class Deprivation(models.Model):
    """English Indices of Deprivation for one small area (rank 1 = most deprived)."""

    small_area = models.OneToOneField(
        SmallArea, on_delete=models.CASCADE, related_name="deprivation"
    )
    edition = models.CharField(max_length=20, default="IoD2019")
    imd_rank = models.PositiveIntegerField()
    imd_decile = models.PositiveSmallIntegerField()
    income_decile = models.PositiveSmallIntegerField(null=True, blank=True)
    employment_decile = models.PositiveSmallIntegerField(null=True, blank=True)
    education_decile = models.PositiveSmallIntegerField(null=True, blank=True)
    health_decile = models.PositiveSmallIntegerField(null=True, blank=True)
    crime_decile = models.PositiveSmallIntegerField(null=True, blank=True)
    housing_services_decile = models.PositiveSmallIntegerField(null=True, blank=True)
    living_environment_decile = models.PositiveSmallIntegerField(null=True, blank=True)
    domain_ranks = models.JSONField(default=dict, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    population_0_15 = models.PositiveIntegerField(null=True, blank=True)
    population_60_plus = models.PositiveIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.small_area_id}: IMD decile {self.imd_decile}"


class Postcode(models.Model):
    """A postcode centroid. `postcode` is upper case with one space before the inward code."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="postcodes")
    postcode = models.CharField(max_length=8, unique=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    small_area = models.ForeignKey(
        SmallArea, null=True, blank=True, on_delete=models.SET_NULL, related_name="postcodes"
    )
    small_area_2011 = models.ForeignKey(
        SmallArea, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ward = models.ForeignKey(
        Ward, null=True, blank=True, on_delete=models.SET_NULL, related_name="postcodes"
    )

    def __str__(self) -> str:
        return self.postcode


class PrimaryCareNetwork(models.Model):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="pcns")
    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = "primary care network"

    def __str__(self) -> str:
        return self.name


class GPPractice(models.Model):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="gp_practices")
    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=200)
    postcode = models.CharField(max_length=8, blank=True)
    pcn = models.ForeignKey(
        PrimaryCareNetwork,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practices",
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    ward = models.ForeignKey(
        Ward, null=True, blank=True, on_delete=models.SET_NULL, related_name="gp_practices"
    )
    in_district = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "GP practice"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class AreaIndicator(models.Model):
    """Any other figure the place publishes for an area (census shares, child poverty, ...)."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="indicators")
    area_type = models.CharField(max_length=20)  # ward, lsoa21, constituency, district
    area_code = models.CharField(max_length=16)
    area_name = models.CharField(max_length=200, blank=True)
    indicator = models.CharField(max_length=100)
    period = models.CharField(max_length=20, blank=True)
    value = models.FloatField()
    unit = models.CharField(max_length=20, blank=True)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["area_type", "area_code", "indicator", "period"],
                name="indicator_unique_per_area_period",
            )
        ]
        indexes = [models.Index(fields=["indicator", "area_type"])]

    def __str__(self) -> str:
        return f"{self.indicator} {self.area_code} {self.period}: {self.value}"


class CommunityAsset(models.Model):
    """A named community venue from OpenStreetMap (ODbL: kept as its own layer)."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="assets")
    osm_ref = models.CharField(max_length=40, unique=True, help_text="osm_type/osm_id")
    name = models.CharField(max_length=255)
    category = models.CharField(max_length=40, db_index=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    postcode = models.CharField(max_length=8, blank=True)
    ward = models.ForeignKey(
        Ward, null=True, blank=True, on_delete=models.SET_NULL, related_name="assets"
    )
    tags = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
