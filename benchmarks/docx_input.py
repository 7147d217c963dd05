"""A WordDocument the size of the regional brief, for benchmarks/run.py (the docx group).

Built from the bundled data as phase B will build it: every finding as a paragraph with its notes,
every chart of the threats, cooperation and other-figures views (their real SVGs and alt texts),
the findings as a table. Run as a script: `docx_input.py build OUT.pickle AST.json` writes the
document and the pandoc AST that wbbrief feeds pandoc; `docx_input.py convert IN.pickle OUT.docx`
converts it as wbbrief does (the timed command).
"""

from __future__ import annotations

import datetime
import json
import pickle
import sys
from pathlib import Path


def regional_document() -> object:
    from wbbrief import charts, docx, queries
    from wbbrief.loading import load_bundle

    bundle = load_bundle()
    notes: list[str] = []
    blocks: list[docx.Block] = [docx.Heading(1, "Summary")]
    findings = queries.findings(bundle)
    for table in findings.tables:
        for row in table.rows:
            notes.append(str(row.get("source", "")) or "source")
            blocks.append(docx.Paragraph([str(row.get("text", row)), docx.NoteRef(len(notes))]))
        header = [[column.header] for column in table.columns]
        rows = [[[str(row.get(column.key, ""))] for column in table.columns] for row in table.rows]
        blocks.append(docx.Table(header=header, rows=rows, caption="Findings", source=["Source: the paper"]))
    number = 0
    for heading, view in (
        ("Threat perception", queries.threats(bundle)),
        ("Support for regional cooperation", queries.cooperation(bundle)),
        ("Other figures", queries.other_figures(bundle)),
    ):
        blocks.append(docx.Heading(2, heading))
        for table in view.tables:
            for chart in charts.charts_for(table):
                number += 1
                blocks.append(docx.Chart(chart.svg(), chart.alt, f"Figure {number}. {chart.title}", [chart.source]))
    return docx.WordDocument(
        title="Security in the Western Balkans",
        subtitle="What the surveys say",
        author="wbbrief benchmarks",
        date=datetime.date(2022, 12, 1),
        blocks=blocks,
        notes=notes,
    )


def main() -> None:
    from wbbrief import docx

    if sys.argv[1] == "build":
        document = regional_document()
        Path(sys.argv[2]).write_bytes(pickle.dumps(document))
        Path(sys.argv[3]).write_text(json.dumps(docx.pandoc_ast(document)), encoding="utf-8")  # type: ignore[arg-type]
        print(docx.default_reference_doc())
    else:
        document = pickle.loads(Path(sys.argv[2]).read_bytes())
        Path(sys.argv[3]).write_bytes(docx.to_docx(document))


if __name__ == "__main__":
    main()
