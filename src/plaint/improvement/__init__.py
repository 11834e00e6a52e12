"""Improvement: the last step of the loop — analysis that finds systemic and recurring causes
(ISO 10002:2018 clause 8.3), monitoring of the process against measurable objectives (8.4;
ISO 9001 6.2), corrective action (ISO 9001 10.2) and internal audit (8.5; checklists per ISO
10002, 10003 and 10001 clause in ``checklists/``); management review (8.6) is still to come.

It holds the analysis page (``/staff/analysis/``: a Pareto of complaints by category, product and
channel, and the monthly complaint rate as an attribute control chart with the standard run rules
flagged, ``plaint.core.spc``), indicators as data (``indicators``), objectives and corrective
actions with their lifecycle (``states``), effectiveness check, reminders and audit trail
(``/staff/improvement/``), and the internal audits (``/staff/improvement/audits/``)."""
