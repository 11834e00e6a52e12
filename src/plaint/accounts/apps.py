from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "plaint.accounts"
    label = "accounts"
    verbose_name = "Accounts"
