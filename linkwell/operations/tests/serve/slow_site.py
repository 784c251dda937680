"""Settings for the graceful-shutdown test: the product's, plus a page that answers only when
the test lets it (so a request is surely in flight when the server is told to stop)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "linkwell.operations.tests.serve.slow_urls"
