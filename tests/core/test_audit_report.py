"""VerifyReport.breaks is always a list (it used to default to None)."""

from __future__ import annotations

from plaint.core.audit import ChainBreak, VerifyReport


def test_a_new_report_has_no_breaks_and_is_ok():
    report = VerifyReport()
    assert report.breaks == [] and report.ok
    report.breaks.append(ChainBreak(1, "complaint", 1, 1, "sequence gap"))
    assert not report.ok
    assert VerifyReport().breaks == []  # not shared between reports
