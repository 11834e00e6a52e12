"""The multi-host test's own Django app, installed only on the test's hosts (host_settings.py):
it records every run of every periodic duty (``DutyRun``) and adds one slow duty, the ledger,
whose worker the test kills mid-run (``LedgerItem``). Nothing of it is in Plaint itself."""
