"""The need measures an area can be shaded by, and which way is "more need".

IMD 2019 comes per 2011 LSOA (rank 1 = most deprived in England; no score is loaded, so the
rank stands for it); wards and constituencies carry the population-weighted mean of their
LSOAs (by each LSOA's best-fit ward). Other measures are the place's AreaIndicator figures
for the level (census 2021 shares, health and child-poverty figures), where published."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from linkwell.directory import vocabularies as vocab

LEVELS = ("ward", "lsoa", "constituency")
TIERS = (0, 1, 2, 3, 4)  # 0: all tiers
ALL_NEEDS = "all"
DEFAULT_MEASURE = "imd_rank"
LSOA_VINTAGE = 2011  # the LSOAs IMD 2019 was published for

# Deprivation columns (per LSOA) and the key each is kept under.
DEPRIVATION_COLUMNS = {
    "imd_rank": "imd_rank",
    "imd_decile": "imd_decile",
    "income_decile": "income_decile",
    "employment_decile": "employment_decile",
    "education_decile": "education_decile",
    "health_decile": "health_decile",
    "crime_decile": "crime_decile",
    "housing_services_decile": "housing_services_decile",
    "living_environment_decile": "living_environment_decile",
}

# Where the AreaIndicator figures of each level are kept ("lsoa21" figures are read for a
# 2011 LSOA whose code was kept in 2021, so its boundary is the same).
INDICATOR_AREA_TYPES = {"ward": "ward", "lsoa": "lsoa21", "constituency": "constituency"}

LABELS = {
    "imd_rank": _("Index of Multiple Deprivation 2019: rank (1 = most deprived)"),
    "imd_decile": _("IMD 2019 decile (1 = most deprived tenth)"),
    "income_decile": _("Income deprivation decile"),
    "employment_decile": _("Employment deprivation decile"),
    "education_decile": _("Education and skills deprivation decile"),
    "health_decile": _("Health deprivation and disability decile"),
    "crime_decile": _("Crime decile"),
    "housing_services_decile": _("Barriers to housing and services decile"),
    "living_environment_decile": _("Living environment decile"),
    "pct_bad_or_very_bad_health_2021": _("People in bad or very bad health, 2021 (%)"),
    "pct_aged_65_plus_2021": _("People aged 65 and over, 2021 (%)"),
    "pct_pop_imd_decile1": _("People in England's most deprived tenth of areas (%)"),
    "life_expectancy_at_birth_years": _("Life expectancy at birth (years)"),
    "children_in_relative_low_income_rate": _("Children in relative low income (share)"),
    "children_in_absolute_low_income_rate": _("Children in absolute low income (share)"),
}

# Measures where a LOWER value means more need (the others: higher is more need).
LOWER_IS_NEEDIER = {
    "imd_rank",
    "life_expectancy_at_birth_years",
    "pct_health_good_health",
    "pct_health_very_good_health",
    "imd_pop_weighted_mean_rank",
    *(key for key in DEPRIVATION_COLUMNS if key.endswith("_decile")),
}


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    lower_is_needier: bool


def measure(key: str) -> Measure:
    label = LABELS.get(key) or key.replace("_", " ").capitalize()
    return Measure(key=key, label=str(label), lower_is_needier=key in LOWER_IS_NEEDIER)


def need_codes() -> list[str]:
    """Every need code of the vocabulary, then "all" (any need)."""
    return [term.code for term in vocab.NEEDS.terms] + [ALL_NEEDS]


def need_label(code: str) -> str:
    from django.utils.translation import gettext

    if code == ALL_NEEDS:
        return str(_("All needs"))
    for term in vocab.NEEDS.terms:
        if term.code == code:
            return gettext(term.name)
    return code


def tier_label(tier: int) -> str:
    return str(_("All tiers")) if tier == 0 else str(_("Tier %(n)s") % {"n": tier})
