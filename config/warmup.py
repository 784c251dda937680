"""What a server process does once before its first request, so that no person waits for it.

The need lexicon's matcher (about 2 s to build) and the place's gazetteer are made, then every
object alive is taken out of the garbage collector's sight (`gc.freeze`): they live as long as
the process, and a full collection walking them (about 250,000 objects, 25-30 ms) otherwise
lands inside whichever request allocates most, such as a search reading a few thousand rows
near a postcode (measured: its reading of the circle 61 against 34 ms).
"""

import gc
import logging

from django.db import DatabaseError, connections

log = logging.getLogger(__name__)


def warm_up() -> None:
    """Build the long-lived caches, close the connections used to build them (a server that
    forks after this must not share them), and freeze what is alive."""
    from linkwell.directory.needs import infer_needs
    from linkwell.places.queries import PlaceNotUnderstood, find_place

    infer_needs("lonely since his wife died, had a fall, struggling with bills")
    try:
        find_place("Bradford")
    except PlaceNotUnderstood:
        pass  # another place, or none loaded yet: the gazetteer is built all the same
    except DatabaseError as error:  # no database yet (before the first migrate)
        log.warning("place names not built before the first request: %s", error)
    finally:
        connections.close_all()
    gc.collect()
    gc.freeze()
