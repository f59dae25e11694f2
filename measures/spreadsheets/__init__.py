"""Spreadsheets: the column layout, reading and writing files, the import."""
