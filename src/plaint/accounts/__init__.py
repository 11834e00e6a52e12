"""Staff accounts, roles (admin, manager, handler, auditor), teams and API tokens; the access rules
that every page and endpoint asks (ISO 10002 6.3 roles and responsibilities)."""
