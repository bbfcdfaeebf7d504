"""The synthetic corpus: seeded case files with known defects and their truth, for tests and benches.

``corpus.generator`` drives the steps: ``plan`` (what the month holds; with ``timeline``,
``schedule``, ``parties``, ``vtypes``), ``defects`` (the catalogue and where each defect bites),
``documents`` (each family's content; wording in ``data/wording``), ``styles`` (house styles of
other hands, ``data/styles``), ``files``, ``truth``, ``register``; ``render``/``scan``/``writer`` write
the bytes.

May import: ``pipeline.core``, ``extractors`` (the violation catalogue), ``pipeline.write`` (the
deterministic document writers and fonts). Nothing in the product imports it but ``pipeline.run``
(``anjuan demo`` and ``anjuan corpus generate``).
"""
