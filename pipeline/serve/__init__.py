"""The reviewer's workbench, ``anjuan serve``: a local web app over a results folder and its store.

``app.py`` (the Flask routes, CSRF, the LAN password), ``workbench.py`` (what the pages show: the
month's cases, one case's findings, fields and 未能核实 list, read from ``cases.jsonl``, the store
and the archive), ``pages.py`` (a document page as an image and where a quote stands on it),
``locate.py`` (finding a quote in a page's text, pure), ``server.py`` (waitress, the browser).
Templates and static assets ship inside the package; nothing is fetched from the network.

May import: every package of ours except ``pipeline.cli``.
"""
