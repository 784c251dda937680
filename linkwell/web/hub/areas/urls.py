"""The areas pages' addresses."""

urlpatterns: list = []
