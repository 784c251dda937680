"""The hub's tables: what `refresh_hub` precomputes (replaced wholesale at each refresh), the
monthly snapshots kept for trends, and people's verdicts on possible duplicates (kept).

Each part of the hub keeps its models in its own module; every module lists them in
`__all__`."""

from linkwell.intelligence.models.flows import *  # noqa: F403
from linkwell.intelligence.models.provision import *  # noqa: F403
from linkwell.intelligence.models.refresh import *  # noqa: F403
from linkwell.intelligence.models.spend import *  # noqa: F403
