"""`marsad extract` / `marsad eval` / `marsad bench` from the command line.

The batch mechanics (inputs, output modes, problems, exit codes) run against a stand-in extractor
so they test this layer alone; the end-to-end tests at the bottom run the real pipeline.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import marsad
from marsad.batch import report_filename
from marsad.cli import app
from marsad.schema import Report
from tests.unit.test_io import ARTICLE, GAZA, write_bad_inputs

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "kyiv-night-strike.txt"
runner = CliRunner()


@pytest.fixture
def fake_extract(monkeypatch):
    """Replace the pipeline with one that echoes the metadata; records the texts it saw."""
    seen: list[str] = []

    def fake(text, meta=None):
        seen.append(text)
        if "انفجار" in text:
            raise RuntimeError("stage exploded")
        return Report(id=meta.id, published=meta.published.isoformat() if meta.published else None,
                      url=meta.url, outlet=meta.outlet, title=meta.title)

    monkeypatch.setattr(marsad, "extract_document", fake)
    return seen


def run(*args: str, input: bytes | None = None):
    return runner.invoke(app, list(args), input=input)


def test_extract_one_file_prints_a_readable_summary(tmp_path, fake_extract) -> None:
    write_bad_inputs(tmp_path)
    res = run("extract", str(tmp_path / "good.txt"))
    assert res.exit_code == 0, res.output
    assert "═══ good" in res.stdout and "ATTACKS (0)" in res.stdout and "published 2025-07-04" in res.stdout
    assert fake_extract == [ARTICLE]


def test_json_is_one_object_for_one_input(tmp_path, fake_extract) -> None:
    write_bad_inputs(tmp_path)
    res = run("extract", str(tmp_path / "good.txt"), "--json")
    report = json.loads(res.stdout)
    assert report["id"] == "good" and report["outlet"] == "مرصد"


def test_json_lines_for_several_inputs(tmp_path, fake_extract) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text("\n".join(json.dumps({"id": f"b{i}", "text": GAZA}, ensure_ascii=False) for i in range(3)), encoding="utf-8")
    res = run("extract", str(tmp_path), "--json")
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["a", "b0", "b1", "b2"]


def test_out_writes_one_file_per_article_and_a_summary(tmp_path, fake_extract) -> None:
    corpus, out = tmp_path / "corpus", tmp_path / "reports"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (corpus / "sub" / "b.txt").write_text(GAZA, encoding="utf-8")
    (corpus / "feed.jsonl").write_text(
        json.dumps({"id": "x/1", "text": GAZA}, ensure_ascii=False) + "\n" + json.dumps({"id": "x/1", "text": ARTICLE}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    res = run("extract", str(corpus), "--out", str(out))
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "b.json", "x_1-2.json", "x_1.json"]
    assert json.loads((out / "b.json").read_text("utf-8"))["id"] == "b"
    assert re.search(r"wrote 4 reports to .*reports/", res.stdout)


def test_stdin_with_metadata_options(fake_extract) -> None:
    res = run("extract", "-", "--published", "2025-07-04", "--url", "https://example.org/a", "--outlet", "مرصد",
              "--title", "عنوان", "--json", input=ARTICLE.encode())
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert (report["id"], report["published"], report["url"], report["outlet"], report["title"]) == (
        "stdin", "2025-07-04", "https://example.org/a", "مرصد", "عنوان")


def test_bad_published_option_is_a_usage_error(fake_extract) -> None:
    res = run("extract", "-", "--published", "4/7/2025", input=ARTICLE.encode())
    assert res.exit_code == 2 and "not an ISO date" in res.output


def test_metadata_options_need_a_single_input(tmp_path, fake_extract) -> None:
    res = run("extract", str(tmp_path), "--published", "2025-07-04")
    assert res.exit_code == 2 and "single input" in res.output


def test_every_bad_input_in_one_batch_is_reported_and_the_rest_extracted(tmp_path, fake_extract) -> None:
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    expected = write_bad_inputs(corpus, size_limit=1024 * 1024)
    res = run("extract", str(corpus), "--out", str(out), "--max-bytes", str(1024 * 1024))
    assert res.exit_code == 1
    for name, fragment in expected.items():
        line = next((ln for ln in res.stderr.splitlines() if f"{corpus / name}:" in ln), None)
        assert line is not None and fragment in line, (name, res.stderr)
    assert sorted(p.stem for p in out.iterdir()) == ["good", "legacy", "line-bad-date", "line-ok", "sidecar"]
    assert "6 inputs failed" in res.stdout


def test_a_pipeline_exception_is_a_reported_problem_not_a_crash(tmp_path, fake_extract) -> None:
    (tmp_path / "a.txt").write_text("وقع انفجار في مستودع للذخيرة قرب الحدود.", encoding="utf-8")
    (tmp_path / "b.txt").write_text(GAZA, encoding="utf-8")
    res = run("extract", str(tmp_path), "--json")
    assert res.exit_code == 1
    assert f"{tmp_path / 'a.txt'}: extraction failed: RuntimeError: stage exploded" in res.stderr
    assert json.loads(res.stdout)["id"] == "b"


def test_report_filenames_are_safe_and_unique() -> None:
    taken: set[str] = set()
    assert [report_filename(i, taken) for i in ("a", "a", "../etc/passwd", "")] == ["a.json", "a-2.json", "etc_passwd.json", "article.json"]


GOLD = {"id": "k", "published": "2025-07-04", "outlet": "x", "attacks": [{
    "date": "2025-07-04", "attacker": "Russia", "target": "Ukraine", "locations": ["Kyiv"], "weapons": ["drone"], "claims": [],
    "figures": [{"measure": "launched", "weapon": "drone", "value": 40, "qualifier": "exact", "source": ["Ukrainian Air Force"]}]}],
    "diplomacy": [], "quotes": [], "entities": [{"name": "Kyiv", "type": "LOC", "aliases": ["Kiev"], "mentions": ["كييف"], "optional": False}]}


def _gold_dir(tmp_path: Path) -> Path:
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "k.txt").write_text("أطلقت روسيا 40 طائرة مسيّرة على كييف، وفقاً للقوات الجوية الأوكرانية.", encoding="utf-8")
    (gold / "k.gold.json").write_text(json.dumps(GOLD), encoding="utf-8")
    return gold


def test_eval_against_saved_predictions_table_and_json(tmp_path) -> None:
    gold, pred = _gold_dir(tmp_path), tmp_path / "pred"
    pred.mkdir()
    (pred / "k.json").write_text(json.dumps({**GOLD, "entities": []}), encoding="utf-8")
    res = run("eval", str(gold), str(pred), "--errors")
    assert res.exit_code == 0, res.output
    assert re.search(r"figures\s+1\.000\s+1\.000\s+1\.000", res.stdout)
    assert re.search(r"entities\s+1\.000\s+0\.000\s+0\.000", res.stdout)
    assert "entities: missed LOC Kyiv" in res.stdout
    data = json.loads(run("eval", str(gold), str(pred), "--json").stdout)
    assert data["layers"]["figures"]["f1"] == 1.0 and data["articles"][0]["id"] == "k"


def test_eval_extracts_first_with_metadata_from_the_gold_file(tmp_path, fake_extract) -> None:
    res = run("eval", str(_gold_dir(tmp_path)), "--json", "--articles", "--save", str(tmp_path / "saved"))
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["layers"]["figures"]["fn"] == 1 and data["notes"] == []
    saved = json.loads((tmp_path / "saved" / "k.json").read_text("utf-8"))
    assert (saved["id"], saved["published"], saved["outlet"]) == ("k", "2025-07-04", "x")
    assert fake_extract == ["أطلقت روسيا 40 طائرة مسيّرة على كييف، وفقاً للقوات الجوية الأوكرانية."]


def test_eval_names_a_missing_or_broken_gold_directory(tmp_path) -> None:
    res = run("eval", str(tmp_path / "nowhere"))
    assert res.exit_code == 2 and "nowhere: not a directory" in res.stderr
    (tmp_path / "bad.gold.json").write_text("{", encoding="utf-8")
    res = run("eval", str(tmp_path))
    assert res.exit_code == 2 and "bad.gold.json: invalid JSON" in res.stderr


def test_eval_ner_dispatches_to_the_ner_scorer(monkeypatch) -> None:
    import marsad.ner.evaluate as ner_eval

    monkeypatch.setattr(ner_eval, "evaluate_corpora", lambda corpora: {"asked": corpora})
    monkeypatch.setattr(ner_eval, "format_report", lambda result: f"NER {result['asked']}")
    assert run("eval", "ner", "aqmar").stdout.strip() == "NER ['aqmar']"
    assert json.loads(run("eval", "ner", "--json").stdout) == {"asked": None}


# --- end to end: the real pipeline ---------------------------------------------------------


def test_readme_example_runs_in_a_fresh_process() -> None:
    proc = subprocess.run([sys.executable, "-m", "marsad.cli", "extract", str(EXAMPLE), "--json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["id"] == "kyiv-night-strike" and report["published"] == "2025-09-07"
    figures = [(f["measure"], f["weapon"], f["value"]) for a in report["attacks"] for f in a["figures"]]
    assert ("launched", "drone", 405) in figures


def test_human_summary_of_the_example_shows_figures_and_arabic(tmp_path) -> None:
    res = run("extract", str(EXAMPLE))
    assert res.exit_code == 0, res.output
    assert "launched" in res.stdout and "405" in res.stdout
    assert "كييف" in res.stdout


def test_bench_reports_every_number_as_json(tmp_path) -> None:
    res = run("bench", "--corpus", str(ROOT / "examples"), "--min-mb", "0.02", "--runs", "1", "--no-first-result", "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["texts"] == 3 and data["articles"] >= 3 and data["articles_per_s"] > 0
    assert data["articles_per_s_without_ner"] > data["articles_per_s"]  # the NER model costs time, never saves it
    assert {"normalize", "attacks", "report"} <= set(data["stage_ms_per_article"])
    assert data["peak_rss_mb"] > 0 and data["first_result_s"] is None and data["cold_start"] is None


def test_every_cli_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    commands = [c.name or c.callback.__name__ for c in app.registered_commands]
    for group in app.registered_groups:
        commands += [f"{group.name} {c.name or c.callback.__name__}" for c in group.typer_instance.registered_commands]
    missing = [c for c in commands if f"marsad {c}" not in readme]
    assert not missing, f"commands missing from README.md: {missing}"
