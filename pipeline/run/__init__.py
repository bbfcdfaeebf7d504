"""Orchestration: the review run (workers, fingerprints, summary) and the month's commands.

The only place that wires reading, checking, scoring, storing and writing together.

May import: every package of ours except ``pipeline.cli`` and ``pipeline.serve``.
"""
