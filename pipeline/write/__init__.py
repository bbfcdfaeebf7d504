"""Files out: the deterministic .docx/.xlsx writers, opinions, letters, meeting material, charts.

Renders view models built from ``CaseResult`` records; decides nothing.

May import: ``pipeline.core``, ``extractors``, ``checks`` (names for display), ``pipeline.supervise``.
"""
