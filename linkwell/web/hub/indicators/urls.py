"""The indicators pages' addresses."""

urlpatterns: list = []
