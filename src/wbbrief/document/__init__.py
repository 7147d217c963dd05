"""Markdown documents that cite survey figures by id: parse, check, render.

A document is CommonMark with YAML front matter, MyST-style roles (``{stat}`figure-id```) and
fenced directives (```` ```{chart} ````). The modules, from the bottom up:

- ``model``: the typed pieces of a parsed document and the diagnostics found in it;
- ``frontmatter``: the YAML front matter, validated key by key;
- ``parse``: the Markdown itself (markdown-it-py), with every role, directive, link, image,
  raw HTML and hand-typed number located by line and column;
- ``figures``: the figures a document can cite, as typed records (no pandas);
- ``check``: every problem of a document against the loaded figures (``wbbrief check``);
- ``compose``: the one renderer, of the bundled briefs and of users' documents alike: the body
  from the document, the page's shell from the sandboxed template (``export-pdf`` uses it too);
- ``author``: ``wbbrief new``, ``wbbrief render`` and ``--watch``.

Up to ``check``, nothing imports pandas, Jinja2 or WeasyPrint, so ``wbbrief check`` stays light.
"""
