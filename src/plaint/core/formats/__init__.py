"""Date and time formats where Django's own (``django/conf/locale/<lang>/formats.py``) are wrong
for Plaint's readers; ``FORMAT_MODULE_PATH`` puts these first, and every name not set here falls
back to Django's module of the language. Swedish and Persian need nothing: Django's are right.
Why each value, in docs/translating.md ("Dates, times and numbers")."""
