"""What the hub tells the rest of the product: `refreshed(run=HubRefresh)` is sent once a
refresh's figures are committed (the pages may then work out their views ahead of anyone
asking)."""

from django.dispatch import Signal

refreshed = Signal()
