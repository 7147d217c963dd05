"""Markdown documents that cite survey figures by id: parse, check, render.

A document is CommonMark with YAML front matter, MyST-style roles (``{stat}`figure-id```) and
fenced directives (```` ```{chart} ````). The modules, from the bottom up:

- ``model``: the typed pieces of a parsed document and the diagnostics found in it;
- ``frontmatter``: the YAML front matter, validated key by key;
- ``parse``: the Markdown itself (markdown-it-py), with every role, directive, link, image,
  raw HTML and hand-typed number located by line and column;
- ``figures``: the figures a document can cite, as typed records (no pandas);
- ``check``: every problem of a document against the loaded figures (``wbbrief check``);
- ``compose`` (with ``composer``, ``directives``, ``inlines``): a document resolved against the
  data into one typed ``tree``, which the writers of ``render`` walk (HTML and PDF, Word).

Up to ``check``, nothing imports pandas, Jinja2 or WeasyPrint, so ``wbbrief check`` stays light.
"""
