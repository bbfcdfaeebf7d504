"""The SQLite store: case digests of earlier months, letters and their events, reviewer decisions.

May import: ``pipeline.core``, ``pipeline.supervise`` (the records it persists).
"""
