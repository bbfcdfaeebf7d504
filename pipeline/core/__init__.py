"""The kernel: pure records and helpers every other package uses (no IO, no state).

``models`` (the frozen records between stages), ``vocab`` (field and document vocabularies),
``errors`` (coded messages), ``workdays`` (the one calendar) and the small pure helpers beside them.

May import: nothing of ours outside ``pipeline.core``.
"""
