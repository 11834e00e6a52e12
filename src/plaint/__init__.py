"""Plaint: customer-satisfaction management for the ISO 10000 family (10001, 10002, 10003, 10004)."""

__version__ = "0.1.0"
