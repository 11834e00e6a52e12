"""Improvement: the last step of the loop — analysis that finds systemic and recurring causes
(ISO 10002:2018 clause 8.3), monitoring of the process against measurable objectives (8.4;
ISO 9001 6.2) and corrective action (ISO 9001 10.2); in the parts still to come, internal audit
(8.5) and management review (8.6).

It holds the analysis page (``/staff/analysis/``: a Pareto of complaints by category, product and
channel, and the monthly complaint rate as an attribute control chart with the standard run rules
flagged, ``plaint.core.spc``), indicators as data (``indicators``), objectives and corrective
actions with their lifecycle (``states``), effectiveness check, reminders and audit trail
(``/staff/improvement/``)."""
