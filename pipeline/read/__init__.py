"""Files in: the archive lister, the DOCX/PDF/zip/image readers, the case register and OCR.

Turns what a reviewer hands in into ``SourceDoc`` / ``CaseInput`` records, reporting every file it
cannot read as a coded ``InputError``. Never writes to the archive.

May import: ``pipeline.core``, ``extractors`` (document typing and text normalisers).
"""
