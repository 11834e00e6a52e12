"""Public portal URLs (no account): how to complain, the form, the tracking page."""

app_name = "public"
urlpatterns: list = []
