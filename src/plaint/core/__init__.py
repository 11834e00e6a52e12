"""Shared foundations: organisation settings, business-day deadlines, the hash-chained audit trail
(ISO 10002 7.4 tracking, 8.4 audit), the e-mail outbox, attachments and the error tree."""
