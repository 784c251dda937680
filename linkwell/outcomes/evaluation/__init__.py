"""Evaluating a programme: paired before-and-after figures (`statistics`), small numbers
withheld (`suppression`), the report as plain data (`report`), read through `queries`."""
