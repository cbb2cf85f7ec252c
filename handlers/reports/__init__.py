"""Chat-message report parser: text + send time + sender → ParsedReport."""

from handlers.reports.parser import ParsedReport, ReportParser

__all__ = ["ParsedReport", "ReportParser"]
