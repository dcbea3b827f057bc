"""Command-line interface (thin: the library does the work)."""
