"""A programme's evaluation report: the page, its CSV and its printable PDF."""
