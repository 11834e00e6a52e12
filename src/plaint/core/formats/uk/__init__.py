"""See ``plaint.core.formats``."""
