"""The spend pages' addresses."""

urlpatterns: list = []
