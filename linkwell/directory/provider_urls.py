"""Pages for providers who keep their listings current, and for the admins who publish them."""

app_name = "listings"
urlpatterns: list = []
