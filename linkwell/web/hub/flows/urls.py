"""The flows pages' addresses."""

urlpatterns: list = []
