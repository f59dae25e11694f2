"""The forms, one module per views module."""
