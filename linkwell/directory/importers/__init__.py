"""Reading services in from outside (ORUK feeds, partners' mapping spreadsheets) and out again.

Readers turn each item into a `ServiceRecord` or a list of `Problem`s; `runner.run_import`
hands the good records to `actions.save_services` in batches and decides what is committed.
"""
