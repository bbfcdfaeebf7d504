"""The supervision domain, pure: scoring, the letters ("两单两书") state machine, sampling plans.

Functions of records and settings; the store and the writers call them, they call neither.

May import: ``pipeline.core``, ``extractors``, ``checks`` (the registry's names and stages).
"""
