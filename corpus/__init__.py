"""The synthetic corpus: seeded case files with known defects and their truth, for tests and benches.

May import: ``pipeline.core``, ``extractors`` (the violation catalogue), ``pipeline.write`` (the
deterministic document writers and fonts). Nothing in the product imports it but ``pipeline.run``
(``anjuan demo`` and ``anjuan corpus generate``).
"""
