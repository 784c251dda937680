"""Local stand-ins for outside services, started by the tests (never the internet)."""
