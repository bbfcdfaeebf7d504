"""Extractors: pure functions from ``SourceDoc`` to fields with provenance, and case assembly.

``normalise`` holds the text normalisers (dates, money, numerals, citations, party names);
``doctype`` types documents; ``fields`` reads each document's fields; ``assemble`` builds the
``CaseFile`` the checks receive.

May import: ``pipeline.core`` only.
"""
