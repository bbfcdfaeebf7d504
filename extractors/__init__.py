"""Extractors: pure functions from ``SourceDoc`` to fields with provenance, and case assembly.

``normalise`` holds the text normalisers (dates, money, numerals, citations, party names);
``doctype`` types documents (by title, else by content); ``fields`` reads each document's fields
(registered extractors, labels from ``data/labels.yaml``); ``assemble`` builds the ``CaseFile``
the checks receive (precedence from ``data/precedence.yaml`` via ``precedence``, squads from the
gazetteer ``data/squads.yaml`` via ``squads``). ``datafile`` reads and checks those data files.

May import: ``pipeline.core`` only.
"""
