"""The regional brief as wbbrief feeds it to pandoc, for benchmarks/run.py (the docx group).

`docx_input.py AST.json` composes the bundled regional brief exactly as `wbbrief export-docx`
does (``render.word``), writes the pandoc JSON AST it gives pandoc (charts already drawn as
PNG), and prints the reference document: pandoc's own conversion of that input is the baseline.
"""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path


def main() -> None:
    from wbbrief.dataset.loading import load_bundle
    from wbbrief.document.compose import bundled_document
    from wbbrief.render import docx
    from wbbrief.render.brief import BriefOptions
    from wbbrief.render.word import word_file

    options = BriefOptions(date=datetime.date(2022, 12, 1))
    file = word_file(bundled_document(None), load_bundle(), options, placeholders=False)
    Path(sys.argv[1]).write_text(json.dumps(file.ast), encoding="utf-8")
    print(docx.default_reference_doc())


if __name__ == "__main__":
    main()
