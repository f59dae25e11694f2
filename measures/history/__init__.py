"""Reading the past: history records as changes, and the programme as of a moment."""
