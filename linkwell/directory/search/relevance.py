"""What a search's words find beyond the words themselves: services tagged with a need the
words signal (see docs/adr/0028).

People type what they feel ("lonely", "تنہائی"), listings say what they do ("befriending",
"lunch club"). `infer_needs` maps the words to need codes through the need lexicon (in every
language it holds); services tagged with those needs are found too, ranked below every
service that holds one of the words (their score is the need's confidence, 0 to 1, under
`fulltext.WORD_FLOOR`).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import F, Q, QuerySet
from django.db.models.lookups import Exact

from linkwell.directory import models as m
from linkwell.directory import vocabularies as vocab
from linkwell.directory.needs import infer_needs
from linkwell.directory.search import fulltext
from linkwell.directory.search import points as search_points

# Needs inferred with less confidence than this do not widen a search.
MIN_CONFIDENCE = 0.3
MAX_TEXT = 1_000  # a search box's worth; longer text is cut before inference


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


def point_candidates(text: str, needs: SignalledNeeds) -> Q | None:
    """The same as `candidates`, as a Q on search points (their own need bits)."""
    rowids = fulltext.matching_rowids(text)
    if rowids is None:
        return None
    q = Q(service_key__in=rowids)
    if needs.mask:
        q |= any_bit(needs.mask)
    return q


def scores(text: str, needs: SignalledNeeds, points: QuerySet | None = None) -> dict[int, float]:
    """`search_rowid` -> relevance, for ranking in Python where distance ranks first (a
    place): services holding every word (scored as `fulltext.match_scores`), then those
    holding some (all at `fulltext.WORD_FLOOR`: scoring every service holding a common word
    costs more than it tells here), then services among `points` (all, if None) tagged with
    a signalled need, scored by its confidence."""
    found = dict.fromkeys(fulltext.matching_rowid_set(text), fulltext.WORD_FLOOR)
    found.update(fulltext.every_word_scores(text))
    if needs.mask:
        rows = need_points(needs.mask, points).values_list("service_key", "needs").distinct()
        for rowid, mask in rows:
            if rowid not in found:
                found[rowid] = needs.score(mask)
    return found


class NeedMatches:
    """`top` and `total` of the services tagged with a signalled need but holding none of the
    words (`services` already filtered): the most confident need's services first, each
    need's by name. The tagged services are read through the attributes' index on the term
    (a few thousand at most) and set against the word matches in Python."""

    def __init__(
        self, services: QuerySet, text: str, needs: SignalledNeeds, count_cap: int | None
    ) -> None:
        self.services = services
        self.text = text
        self.needs = needs
        self.count_cap = count_cap
        self._words: set[int] | None = None

    def _word_rowids(self) -> set[int]:
        if self._words is None:
            self._words = fulltext.matching_rowid_set(self.text)
        return self._words

    def _tagged(self, codes: Iterable[str]) -> QuerySet:
        terms = m.TaxonomyTerm.objects.filter(taxonomy__key=vocab.NEEDS.key, code__in=list(codes))
        tagged = m.ServiceAttribute.objects.filter(
            taxonomy_term_id__in=list(terms.values_list("id", flat=True))
        )
        return self.services.filter(pk__in=tagged.values("service_id")).order_by()

    def top(self, limit: int | None) -> list:
        words, seen, found = self._word_rowids(), set(), []
        for code in self.needs.codes:
            rows = self._tagged([code]).order_by("name", "id").values_list("id", "search_rowid")
            for service_id, rowid in rows.iterator(chunk_size=500):
                if limit is not None and len(found) >= limit:
                    return found
                if rowid in words or service_id in seen:
                    continue
                seen.add(service_id)
                found.append(service_id)
        return found

    def total(self) -> int:
        if not self.needs.codes:
            return 0
        tagged = set(self._tagged(self.needs.codes).values_list("search_rowid", flat=True))
        count = len(tagged - self._word_rowids())
        return min(count, self.count_cap + 1) if self.count_cap is not None else count
