"""Staff console URLs (login required)."""

app_name = "staff"
urlpatterns: list = []
