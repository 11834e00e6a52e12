"""The REST API root (/api/v1): each app adds its router here."""

from ninja import NinjaAPI

api = NinjaAPI(title="Plaint API", version="1", urls_namespace="api")
