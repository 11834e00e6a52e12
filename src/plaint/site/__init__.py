"""The whole site: what needs every app and so sits above them all — the demo data command and the
template helpers shared by every app's pages. Holds no domain rules of its own (ISO 10002 6.4
communication: the pages people read)."""
