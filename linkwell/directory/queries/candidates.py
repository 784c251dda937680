"""Services meeting a need, in no particular order, for a ranker that scores them itself.

The search page orders a need's services by name, which over 100,000 services means walking
every tagged service's name; matching scores its candidates on their own facts, so it asks
for the first services tagged with the need instead, through the tags' index on the term
(whose id is stable: `vocabularies.stable_id`), and the database stops when it has enough.
"""

import uuid
from collections.abc import Iterable

from django.db.models import Q

from linkwell.directory import models as m
from linkwell.directory import vocabularies as vocab


def services_for_need(
    code: str, *, statuses: Iterable[str], age: int | None = None, limit: int = 50
) -> list[uuid.UUID]:
    """Up to `limit` ids of services tagged with the need, with one of the statuses and open
    to a person of `age` (any age if None)."""
    if code not in vocab.NEED_CODES:
        return []
    tags = m.ServiceAttribute.objects.filter(
        taxonomy_term_id=vocab.stable_id("term", vocab.NEEDS.key, code),
        service__status__in=list(statuses),
    )
    if age is not None:
        tags = tags.filter(
            Q(service__minimum_age=None) | Q(service__minimum_age__lte=age),
            Q(service__maximum_age=None) | Q(service__maximum_age__gte=age),
        )
    return list(tags.order_by().values_list("service_id", flat=True)[:limit])
