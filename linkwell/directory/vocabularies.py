"""The partnership's fixed vocabularies, published as HSDS taxonomies.

Ids are UUID5 of a fixed namespace, so every Linkwell install publishes the same taxonomy
and term ids and feeds from different places can be joined on them.
"""

import uuid
from dataclasses import dataclass

from django.utils.translation import gettext_noop

NAMESPACE = uuid.UUID("5b0e7f52-8d3c-4e0b-9a57-6c1b0f1d2a10")


def stable_id(*parts: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "/".join(parts))


@dataclass(frozen=True)
class Term:
    """A term; `name` is stored and published in English, and translated where shown
    (those of needs and life stages are marked for the translators)."""

    code: str
    name: str
    description: str


@dataclass(frozen=True)
class Vocabulary:
    key: str
    name: str
    description: str
    terms: tuple[Term, ...]


NEEDS = Vocabulary(
    "linkwell-needs",
    "Linkwell need codes",
    "Needs a person may have, noticed at any contact; one fixed list shared by the directory, "
    "referrals, matching and intelligence.",
    (
        Term(
            "loneliness",
            gettext_noop("Loneliness and isolation"),
            "Feeling alone or cut off from others.",
        ),
        Term(
            "falls_frailty",
            gettext_noop("Falls and frailty"),
            "Risk of falls, frailty, unsteadiness.",
        ),
        Term(
            "fire_safety",
            gettext_noop("Fire safety at home"),
            "Smoke alarms, safe heating and cooking.",
        ),
        Term(
            "home_security_scams",
            gettext_noop("Home security and scams"),
            "Doorstep crime, scams, security.",
        ),
        Term(
            "fuel_poverty",
            gettext_noop("Fuel poverty and warmth"),
            "Cannot afford to heat the home.",
        ),
        Term("smoking", gettext_noop("Stopping smoking"), "Help to stop smoking or vaping."),
        Term("money_debt", gettext_noop("Money and debt"), "Benefits, budgeting, debt advice."),
        Term("food", gettext_noop("Food"), "Not enough to eat; food banks, lunch clubs, cooking."),
        Term(
            "housing",
            gettext_noop("Housing"),
            "Homelessness, tenancy problems, unsuitable housing.",
        ),
        Term(
            "employment_skills",
            gettext_noop("Work and skills"),
            "Finding work, training, volunteering.",
        ),
        Term("mental_wellbeing", gettext_noop("Mental wellbeing"), "Low mood, anxiety, stress."),
        Term(
            "physical_activity_weight",
            gettext_noop("Physical activity and weight"),
            "Getting active, healthy weight.",
        ),
        Term(
            "alcohol_drugs", gettext_noop("Alcohol and drugs"), "Drinking or drug use causing harm."
        ),
        Term(
            "domestic_abuse",
            gettext_noop("Domestic abuse"),
            "Abuse from a partner or family member.",
        ),
        Term("carers", gettext_noop("Carers"), "Support for unpaid carers."),
        Term(
            "parenting_early_years",
            gettext_noop("Parenting and early years"),
            "Pregnancy to age 5, parenting.",
        ),
        Term(
            "long_term_condition",
            gettext_noop("Long-term conditions"),
            "Living well with a long-term condition.",
        ),
        Term("bereavement", gettext_noop("Bereavement"), "Grief and loss."),
        Term(
            "digital_inclusion",
            gettext_noop("Digital inclusion"),
            "Getting online, devices, digital skills.",
        ),
        Term("youth", gettext_noop("Young people"), "Support and activities for young people."),
        Term(
            "english_language",
            gettext_noop("English language"),
            "Learning English (ESOL), interpreting.",
        ),
        Term(
            "end_of_life", gettext_noop("End of life"), "Care and planning towards the end of life."
        ),
        Term(
            "equipment_adaptations",
            gettext_noop("Equipment and adaptations"),
            "Aids and home adaptations for independence.",
        ),
        Term(
            "learning_disability_autism",
            gettext_noop("Learning disability and autism"),
            "Support for people with a learning disability or autism.",
        ),
    ),
)

TIERS = Vocabulary(
    "linkwell-tiers",
    "Operating model tiers of prevention",
    "The partnership's four tiers of prevention and early intervention (Review of Prevention "
    "and Early Intervention, 2017, section 13, with the acute tier that social care added).",
    (
        Term(
            "1",
            "Tier 1: universal and community support, advice and information",
            "Helping communities to build capacity, empowering and enabling them to support "
            "themselves and rely less on public services.",
        ),
        Term(
            "2",
            "Tier 2: additional needs met through 'universal plus'",
            "Maintaining independence, supporting good health and wellbeing through information "
            "and advice to develop self-help when a need begins to emerge.",
        ),
        Term(
            "3",
            "Tier 3: targeted early help and intervention",
            "Targeted prevention for individuals identified as being at risk of specific "
            "conditions, events or behaviours.",
        ),
        Term(
            "4",
            "Tier 4: acute need with a prevention element",
            "Acute need where there is still an element of prevention, aiming to shift need to "
            "a lower tier.",
        ),
    ),
)

LIFE_STAGES = Vocabulary(
    "linkwell-life-stages",
    "Life stages",
    "The three key life stages of the District Plan.",
    (
        Term(
            "starting_well",
            gettext_noop("Starting Well"),
            "Pre-birth, early years, children and young people.",
        ),
        Term("living_well", gettext_noop("Living Well"), "Working-age adults."),
        Term("ageing_well", gettext_noop("Ageing Well"), "Older people."),
    ),
)

GOLDEN_THREADS = Vocabulary(
    "linkwell-golden-threads",
    "Golden thread priorities",
    "The priorities every partner is asked to embed (review, recommendation 7).",
    (
        Term(
            "relationships",
            "Relationships and new conversations",
            "Relationships between organisations and communities at a local level.",
        ),
        Term("people_can", "People Can", "Mobilising people within communities; volunteering."),
        Term(
            "isolation_loneliness",
            "Reducing isolation and loneliness",
            "Isolation and loneliness, at every age.",
        ),
        Term("poverty", "Reducing poverty", "Poverty lies at the heart of many needs."),
        Term(
            "intergenerational",
            "Intergenerational approach",
            "Connections between generations in communities.",
        ),
    ),
)

# Single-valued partnership fields published as attributes with a value.
SERVICE_FACTS = Vocabulary(
    "linkwell-service-facts",
    "Partnership service facts",
    "Facts the partnership records about a service that HSDS has no field for; the attribute "
    "value holds the fact.",
    (
        Term("partner", "Partner", "The partner organisation responsible for the service."),
        Term("department", "Department", "The partner's department delivering the service."),
        Term("annual_cost", "Annual cost (GBP)", "What the service costs in a year, in pounds."),
        Term("funding_type", "Funding type", "recurrent or short_term."),
        Term("commissioning", "Commissioning", "internal or external."),
        Term("evidence_rating", "Evidence rating", "Early Intervention Foundation evidence level."),
        Term("tier_in_scheme", "Tier in partner's scheme", "scheme key and level, as entered."),
        Term("demo", "Demo data", "Details invented for demonstration; value lists which."),
    ),
)

ALL = (NEEDS, TIERS, LIFE_STAGES, GOLDEN_THREADS, SERVICE_FACTS)
NEED_CODES = tuple(t.code for t in NEEDS.terms)


@dataclass(frozen=True)
class SchemeLevel:
    code: str
    label: str
    tier: int


@dataclass(frozen=True)
class Scheme:
    key: str
    name: str
    description: str
    levels: tuple[SchemeLevel, ...]


# Crosswalks from partners' own tier schemes into the operating model (docs/adr/0004).
TIER_SCHEMES = (
    Scheme(
        "operating-model",
        "Partnership operating model",
        "The partnership's own four tiers.",
        tuple(SchemeLevel(str(n), f"Tier {n}", n) for n in (1, 2, 3, 4)),
    ),
    Scheme(
        "review-2017",
        "Prevention review mapping tiers (0 to 3)",
        "The four tiers partners mapped their services against in the 2017 review.",
        (
            SchemeLevel("0", "Tier 0: helping communities to build capacity", 1),
            SchemeLevel("1", "Tier 1: maintaining independence through information and advice", 2),
            SchemeLevel("2", "Tier 2: targeted prevention for people at risk", 3),
            SchemeLevel("3", "Tier 3: reducing more established needs", 3),
            SchemeLevel("acute", "Above tier 3: acute need with prevention element", 4),
        ),
    ),
    Scheme(
        "accountable-care-board",
        "Accountable Care Board levels of intervention",
        "The four levels used by the Accountable Care Board.",
        (
            SchemeLevel("self_care_prevention", "Self Care and Prevention", 1),
            SchemeLevel("primary", "Primary Intervention", 2),
            SchemeLevel("secondary", "Secondary Intervention", 3),
            SchemeLevel("acute", "Acute Intervention", 4),
        ),
    ),
    Scheme(
        "childrens-threshold",
        "Children's services levels of need",
        "Multi Agency Threshold Guidance for Bradford District (December 2016).",
        (
            SchemeLevel("1", "Tier 1: universal and community support, advice and information", 1),
            SchemeLevel("2", "Tier 2: early help, additional needs through universal plus", 2),
            SchemeLevel("3", "Tier 3: targeted early help, team around the family", 3),
        ),
    ),
)
