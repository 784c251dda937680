"""What a search's words find beyond the words themselves: services tagged with a need the
words signal (see docs/adr/0028).

People type what they feel ("lonely", "تنہائی"), listings say what they do ("befriending",
"lunch club"). `infer_needs` maps the words to need codes through the need lexicon (in every
language it holds); services tagged with those needs are found too. A need signalled with
confidence (`needs.SHOWN_FROM`) is what the person means more surely than a listing holding
one of several words: its services rank below those holding every word and above those
holding some ("smoke alarm": fire safety before stop smoking). A weaker need's services
rank below every word match. See `word_tiers` and `scores`.
"""

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.lookups import Exact

from linkwell.directory import models as m
from linkwell.directory import vocabularies as vocab
from linkwell.directory.needs import SHOWN_FROM, infer_needs
from linkwell.directory.search import fulltext
from linkwell.directory.search import points as search_points

# Needs inferred with less confidence than this do not widen a search.
MIN_CONFIDENCE = 0.3
MAX_TEXT = 1_000  # a search box's worth; longer text is cut before inference
# Services tagged with a confidently signalled need score above this (and its confidence
# times 10,000): under every-word matches (`fulltext.ALL_WORDS`), above partial ones.
CONFIDENT_NEED = 100_000.0


def tier_of(score: float) -> int:
    """The tier a relevance score from `scores` lies in: 0 every word, 1 a confident need,
    2 some words, 3 a weaker need. Near a place, a tier ranks before distance: the nearest
    service holding one of three words is not what was asked for if one holding all three
    is a little further."""
    if score >= fulltext.ALL_WORDS:
        return 0
    if score >= CONFIDENT_NEED:
        return 1
    if score >= fulltext.WORD_FLOOR:
        return 2
    return 3


@dataclass(frozen=True)
class SignalledNeeds:
    """The needs a search's words signal, most confident first, and their bits."""

    codes: tuple[str, ...] = ()
    confidence: dict[str, float] = field(default_factory=dict, compare=False, hash=False)

    @property
    def mask(self) -> int:
        mask = 0
        for code in self.codes:
            mask |= search_points.need_bit(code)
        return mask

    def score(self, needs_mask: int) -> float:
        """The relevance of a service with these need bits: its most confident need's
        confidence (0 if it has none of them)."""
        return max(
            (
                self.confidence[code]
                for code in self.codes
                if needs_mask & search_points.need_bit(code)
            ),
            default=0.0,
        )


NO_NEEDS = SignalledNeeds()


def _name_words() -> dict[str, set[str]]:
    return {
        term.code: {w.lower() for w in fulltext.WORD_RE.findall(term.name)} - fulltext.STOP_WORDS
        for term in vocab.NEEDS.terms
    }


def beyond_words(text: str, needs: SignalledNeeds) -> SignalledNeeds:
    """The needs whose services the words do not already find. A listing's searchable
    words include the names of the needs it is tagged with, so when the search holds a word
    of a need's name ("carers", "housing"), every service tagged with it is a word match
    already, and looking them up again would only cost time."""
    words = {w for w in fulltext.search_words(text) if len(w) > 2}
    names = _name_words()
    codes = tuple(code for code in needs.codes if not words & names.get(code, set()))
    if codes == needs.codes:
        return needs
    return SignalledNeeds(codes, {code: needs.confidence[code] for code in codes})


@lru_cache(maxsize=512)
def signalled_needs(text: str) -> SignalledNeeds:
    """The needs `text` signals with some confidence (none for empty text)."""
    if not (text or "").strip():
        return NO_NEEDS
    found = [
        need
        for need in infer_needs(text[:MAX_TEXT])
        if need.confidence >= MIN_CONFIDENCE and search_points.need_bit(need.code)
    ]
    found.sort(key=lambda need: -need.confidence)
    codes = tuple(dict.fromkeys(need.code for need in found))
    confidence: dict[str, float] = {}
    for need in found:
        confidence.setdefault(need.code, min(1.0, max(0.0, float(need.confidence))))
    return SignalledNeeds(codes, confidence)


def any_bit(mask: int, field_name: str = "needs") -> Q:
    """A Q on search points holding any of the bits (nothing if no bits)."""
    if not mask:
        return Q(pk__in=[])
    return ~Q(Exact(F(field_name).bitand(mask), 0))


def need_points(mask: int, points: QuerySet | None = None) -> QuerySet[m.SearchPoint]:
    base = points if points is not None else m.SearchPoint.objects.all()
    return base.filter(any_bit(mask))


def candidates(text: str, needs: SignalledNeeds) -> Q | None:
    """A Q on Service: holds a word, or is tagged with a signalled need (None: no words)."""
    rowids = fulltext.matching_rowids(text)
    if rowids is None:
        return None
    q = Q(search_rowid__in=rowids)
    if needs.mask:
        q |= Q(search_rowid__in=need_points(needs.mask).values("service_key"))
    return q


def point_candidates(text: str, needs: SignalledNeeds, matches: RawSQL | None = None) -> Q | None:
    """The same as `candidates`, as a Q on search points (their own need bits). The bits
    are tested first: a point holding one needs no look-up among the words' matches (on
    SQLite the look-up is the dearer test, made for every point of a circle). `matches`,
    if given, stands for the words' matches (a subquery read once for a statement)."""
    rowids = fulltext.matching_rowids(text)
    if rowids is None:
        return None
    if matches is not None:
        rowids = matches
    q = Q(service_key__in=rowids)
    if needs.mask:
        q = any_bit(needs.mask) | q
    return q


def _split(needs: SignalledNeeds) -> tuple[SignalledNeeds, SignalledNeeds]:
    """The needs signalled with confidence (from `needs.SHOWN_FROM`) and the weaker ones."""
    sure = tuple(code for code in needs.codes if needs.confidence[code] >= SHOWN_FROM)
    weak = tuple(code for code in needs.codes if code not in sure)
    return (
        SignalledNeeds(sure, {code: needs.confidence[code] for code in sure}),
        SignalledNeeds(weak, {code: needs.confidence[code] for code in weak}),
    )


def tiered_needs(text: str) -> tuple[SignalledNeeds, SignalledNeeds]:
    """The confident and the weaker needs that rank services for these words.

    A weak need whose name the words hold adds nothing (its services hold a word already:
    `beyond_words`), nor does a confident one for a single word (they hold every word). A
    confident need's services rank above partial word matches, so with several words it
    is kept."""
    sure, weak = _split(signalled_needs(text))
    if len(fulltext.search_words(text)) <= 1:
        sure = beyond_words(text, sure)
    return sure, beyond_words(text, weak)


def scores(
    text: str,
    points: QuerySet | None = None,
    among: Collection[int] | None = None,
    needs_of: dict[int, int] | None = None,
) -> dict[int, float]:
    """`search_rowid` -> relevance, for ranking in Python where distance ranks first (a
    place), in the order of `word_tiers`: services holding every word (scored as
    `fulltext.match_scores`, above `fulltext.ALL_WORDS`), then those among `points` (all, if
    None) tagged with a confidently signalled need (above `CONFIDENT_NEED`: the most
    confident need first, those also holding a word first), then services holding some of
    the words (all at `fulltext.WORD_FLOOR`: scoring every service holding a common word
    costs more than it tells here), then those tagged with a weaker need (its confidence).
    With `among` (rowids), only those services' word matches are read and scored: the
    rows a search near a place can show, not every match in the directory. `needs_of`
    (rowid -> need bits) gives the candidates themselves (`point_candidates` for these
    words, read with their bits): one tagged with no need the words widen to holds a word,
    so only the others are looked up in the index."""
    sure, weak = tiered_needs(text)
    every = fulltext.every_word_scores(text, among)
    if len(fulltext.search_words(text)) > 1 and needs_of is not None:
        widening = beyond_words(text, signalled_needs(text)).mask
        doubtful = {rowid for rowid, bits in needs_of.items() if bits & widening}
        words = set(needs_of) - doubtful
        if doubtful:
            words |= fulltext.matching_rowid_set(text, doubtful)
    elif len(fulltext.search_words(text)) > 1:
        words = fulltext.matching_rowid_set(text, among)
    else:  # one word: every service holding it holds every word
        words = set(every)
    found = dict.fromkeys(words, fulltext.WORD_FLOOR)
    found.update(every)

    def tagged(needs: SignalledNeeds) -> Iterable[tuple[int, int]]:
        mask = needs.mask
        if needs_of is not None:
            return ((rowid, bits) for rowid, bits in needs_of.items() if bits & mask)
        return need_points(mask, points).values_list("service_key", "needs").distinct()

    if sure.mask:
        score = lru_cache(maxsize=None)(sure.score)
        for rowid, mask in tagged(sure):
            if rowid not in every:
                held = 1.0 if rowid in words else 0.0
                found[rowid] = CONFIDENT_NEED + 10_000 * score(mask) + held
    if weak.mask:
        score = lru_cache(maxsize=None)(weak.score)
        for rowid, mask in tagged(weak):
            if rowid not in found:
                found[rowid] = score(mask)
    return found


Tier = tuple[Callable[[int | None], list], Callable[[], int]]


def _by_name(services: QuerySet, count_cap: int | None) -> Tier:
    """`top` and `total` of services in name order (ties by id)."""
    ordered = services.order_by("name", "id").values_list("id", flat=True)

    def top(limit: int | None) -> list:
        return list(ordered if limit is None else ordered[:limit])

    def total() -> int:
        if count_cap is not None:
            return services.order_by()[: count_cap + 1].count()
        return services.order_by().count()

    return top, total


def _tagged(codes: Iterable[str]) -> Q:
    """A Q on Service: tagged with any of these needs, through the attributes' index on the
    term (the terms' ids are stable: `vocab.stable_id`, so no query maps them)."""
    ids = [vocab.stable_id("term", vocab.NEEDS.key, code) for code in codes]
    return Q(
        pk__in=m.ServiceAttribute.objects.filter(taxonomy_term_id__in=ids).values("service_id")
    )


def word_tiers(
    services: QuerySet, text: str, count_cap: int | None, *, only_words: bool
) -> list[Tier]:
    """The ranked lists of a word search among `services` (`only_words`: every service),
    one after the other (see `results.chained`):

    1. services holding every word, by relevance;
    2. services tagged with a need the words signal with confidence (`SHOWN_FROM`), the
       most confident need first; within a need, those holding some of the words first,
       then by name;
    3. services holding some of the words, by relevance;
    4. services tagged with a weaker signalled need, the most confident first, by name.

    Each list is ranked and cut by the database, so a page the first fills reads no more
    (a common word matches a fifth of 100,000 services). With no confident need, 1 and 3
    are the index's own ranking of any word (every word first) in one list."""
    words = fulltext.search_words(text)
    sure, weak = tiered_needs(text)
    holding = fulltext.matching_rowids(text)
    several = len(words) > 1
    adding = set(beyond_words(text, sure).codes)

    def ranked(every: bool, within: QuerySet | None = None) -> Tier:
        if only_words and within is None:
            found = fulltext.RankedMatches(text, every=every)
        else:
            within = services if within is None else within
            found = fulltext.RankedFilteredMatches(within, text, count_cap, every=every)
        return found.top, found.total

    if not sure.codes:
        tiers = [ranked(every=False)]
    else:
        tiers = [ranked(every=True)]
        rest = services
        if several:
            rest = services.exclude(search_rowid__in=fulltext.matching_rowids(text, every=True))
        for index, code in enumerate(sure.codes):
            tagged = rest.filter(_tagged([code]))
            if index:
                tagged = tagged.exclude(_tagged(sure.codes[:index]))
            if several:
                tiers.append(_by_name(tagged.filter(search_rowid__in=holding), count_cap))
            if code in adding:  # (the others' services all hold a word)
                tiers.append(_by_name(tagged.exclude(search_rowid__in=holding), count_cap))
        if several:
            tiers.append(ranked(every=False, within=rest.exclude(_tagged(sure.codes))))
    for index, code in enumerate(weak.codes):
        earlier = (*sure.codes, *weak.codes[:index])
        tagged = services.filter(_tagged([code])).exclude(search_rowid__in=holding)
        if earlier:
            tagged = tagged.exclude(_tagged(earlier))
        tiers.append(_by_name(tagged, count_cap))
    return tiers


def word_total(
    services: QuerySet, text: str, count_cap: int | None, *, only_words: bool
) -> Callable[[], int] | None:
    """How many services `word_tiers` holds, counted at once rather than tier by tier (None
    when no need widens the search: the one ranked list counts itself). The services a need
    adds are its tags' (a few thousand) set against the word matches in Python: counting
    each tier in the database probes every tagged service again, several times slower."""
    sure, weak = tiered_needs(text)
    if not (sure.codes or weak.codes):
        return None
    # A need whose name the words hold adds no service: its services hold a word.
    codes = beyond_words(text, signalled_needs(text)).codes

    def total() -> int:
        if only_words:
            count = fulltext.count_matches(text)
        else:
            count = fulltext.RankedFilteredMatches(services, text, count_cap).total()
        if codes and (count_cap is None or count <= count_cap):
            tagged = set(services.filter(_tagged(codes)).values_list("search_rowid", flat=True))
            count += len(tagged - fulltext.matching_rowid_set(text))
        return min(count, count_cap + 1) if count_cap is not None else count

    return total
