"""The meeting documents: the briefing memo before a review meeting and the follow-up note
after it, each as PDF and as Excel, built from one ``MeetingPack``."""

from delivery.briefing.excel import briefing_xlsx, followup_xlsx, spreadsheet_safe
from delivery.briefing.pack import MeetingNotFound, MeetingPack, meeting_pack
from delivery.briefing.pdf import briefing_pdf, followup_pdf

__all__ = ["MeetingNotFound", "MeetingPack", "briefing_pdf", "briefing_xlsx", "followup_pdf",
           "followup_xlsx", "meeting_pack", "spreadsheet_safe"]
