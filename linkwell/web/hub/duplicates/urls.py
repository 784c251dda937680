"""The duplicates pages' addresses."""

urlpatterns: list = []
