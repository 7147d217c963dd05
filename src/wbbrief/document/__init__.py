"""Markdown documents that cite survey figures by id: parse, check, render.

A document is CommonMark with YAML front matter, MyST-style roles (``{stat}`figure-id```) and
fenced directives (```` ```{chart} ````). The modules, from the bottom up:

- ``model``: the typed pieces of a parsed document and the diagnostics found in it;
- ``frontmatter``: the YAML front matter, validated key by key;
- ``parse``: the Markdown itself (markdown-it-py), with every role, directive, link, image,
  raw HTML and hand-typed number located by line and column;
- ``figures``: the figures a document can cite, as typed records (no pandas);
- ``check``: every problem of a document against the loaded figures (``wbbrief check``);
- ``render``: the document's prose as an HTML fragment, numbers rendered from the data.

Nothing here imports pandas, Jinja2 or WeasyPrint, so ``wbbrief check`` stays light.
"""
