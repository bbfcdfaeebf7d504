"""Text normalisers: Chinese numerals, dates, money, legal citations, party names.

May import: ``pipeline.core`` and each other.
"""
