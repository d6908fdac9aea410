"""``marsad bench``: speed and memory of the full pipeline, next to spaCy's Arabic tokenizer.

The workload is the seed and dev texts (or ``--corpus`` directories) repeated until it holds at
least ``min_mb`` MB. Reported: articles/s and MB/s (median of ``runs`` timed passes on one core),
per-stage milliseconds per article (``Document.timings``), peak Python memory (tracemalloc) and
process peak RSS, the time ``spacy.blank("ar")``'s tokenizer takes on the same texts in the same
run, and the wall time from starting ``marsad extract`` in a subprocess to its first output line.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

# With the NER model: >= 100 articles/s; the rule-and-lexicon pipeline alone: >= 200 articles/s and <= 5x the tokenizer.
TARGETS = {"articles_per_s": 100.0, "articles_per_s_without_ner": 200.0, "tokenizer_ratio": 5.0, "first_result_s": 1.5}


def default_corpus_dirs() -> list[Path]:
    """The seed and dev directories of ``../shared`` (``$MARSAD_SHARED`` overrides the location)."""
    from marsad.eval.gate import DEV, SEEDS

    return [SEEDS, DEV]


def load_texts(dirs: list[Path]) -> list[tuple[Path, str]]:
    """Every readable ``.txt`` article under ``dirs`` (sorted), decoded like ``marsad extract`` does."""
    from marsad.io import ArticleInput, iter_articles

    found = [(Path(a.origin), a.text) for a in iter_articles(dirs) if isinstance(a, ArticleInput) and a.origin.endswith(".txt")]
    if not found:
        raise FileNotFoundError(f"no .txt articles under {', '.join(map(str, dirs))}")
    return found


def build_workload(texts: list[str], min_bytes: int) -> list[str]:
    """``texts`` repeated (whole passes) until their UTF-8 size reaches ``min_bytes``."""
    size = sum(len(t.encode("utf-8")) for t in texts)
    return texts * max(1, -(-min_bytes // size))


def _time_pass(fn, items) -> float:
    t0 = time.perf_counter()
    for x in items:
        fn(x)
    return time.perf_counter() - t0


def first_result_seconds(path: Path, timeout: float = 60.0) -> float:
    """Wall time from starting ``marsad extract PATH`` in a fresh interpreter to its first output line."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "marsad.cli", "extract", str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        elapsed = time.perf_counter() - t0
    finally:
        proc.kill()
        proc.wait(timeout)
    if not line:
        raise RuntimeError(f"marsad extract {path} printed nothing")
    return elapsed


_COLD_START = """
import json, sys, time
t0 = time.perf_counter()
import marsad.cli
t1 = time.perf_counter()
from marsad.batch import extract_all
[item] = list(extract_all([sys.argv[1]]))
t2 = time.perf_counter()
print(json.dumps({"import_cli_s": t1 - t0, "first_article_s": t2 - t1, "stages_ms": item.report.timings_ms if item.report else {}}))
"""


def cold_start(path: Path, timeout: float = 120.0) -> dict:
    """Where a fresh process spends its time before the first result: importing the CLI, then the first
    article (whose stage timings include loading lexicons, knowledge base and model)."""
    proc = subprocess.run([sys.executable, "-c", _COLD_START, str(path)], capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"cold-start probe failed: {proc.stderr.strip()[-500:]}")
    data = json.loads(proc.stdout)
    return {"import_cli_s": round(data["import_cli_s"], 3), "first_article_s": round(data["first_article_s"], 3),
            "first_article_stages_ms": {k: round(v, 1) for k, v in data["stages_ms"].items()}}


def run_bench(dirs: list[Path] | None = None, *, runs: int = 5, min_mb: float = 2.0, first_result: bool = True) -> dict:
    """Benchmark the pipeline; returns every number ``format_bench`` prints (JSON-ready)."""
    from marsad import ArticleMeta, Document, analyse
    from marsad.pipeline import Pipeline, default_stages
    from marsad.report import build_report

    dirs = dirs or default_corpus_dirs()
    found = load_texts(dirs)
    texts = [t for _, t in found]
    workload = build_workload(texts, int(min_mb * 1024 * 1024))
    n_bytes = sum(len(t.encode("utf-8")) for t in workload)
    meta = ArticleMeta(id="bench")

    t0 = time.perf_counter()
    build_report(analyse(texts[0], meta))
    warmup_s = time.perf_counter() - t0

    stage_ms: dict[str, float] = {}

    def one(text: str) -> None:
        doc = analyse(text, meta)
        t = time.perf_counter()
        build_report(doc)
        doc.timings["report"] = (time.perf_counter() - t) * 1000.0
        for k, v in doc.timings.items():
            stage_ms[k] = stage_ms.get(k, 0.0) + v

    pipeline_s = [_time_pass(one, workload) for _ in range(runs)]
    per_stage = {k: round(v / (runs * len(workload)), 4) for k, v in stage_ms.items()}

    without_ner = Pipeline(default_stages(ner=False))
    without_ner_s = [_time_pass(lambda text: build_report(without_ner(Document(text=text, meta=meta))), workload)
                     for _ in range(runs)]

    tokenizer_s: list[float] | None = None
    spacy_note = None
    try:
        import spacy

        tokenizer = spacy.blank("ar").tokenizer
        tokenizer_s = [_time_pass(tokenizer, workload) for _ in range(runs)]
    except ImportError:
        spacy_note = "spaCy not installed (pip install -e '.[dev]'): no tokenizer baseline"

    tracemalloc.start()
    for text in texts:
        build_report(analyse(text, meta))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    median_s = statistics.median(pipeline_s)
    median_no_ner_s = statistics.median(without_ner_s)
    median_tok_s = statistics.median(tokenizer_s) if tokenizer_s else None
    result = {
        "corpus": [str(d) for d in dirs],
        "texts": len(texts),
        "articles": len(workload),
        "megabytes": round(n_bytes / 1e6, 3),
        "runs": runs,
        "warmup_s": round(warmup_s, 3),
        "pipeline_s": [round(s, 4) for s in pipeline_s],
        "articles_per_s": round(len(workload) / median_s, 1),
        "mb_per_s": round(n_bytes / 1e6 / median_s, 3),
        "ms_per_article": round(1000 * median_s / len(workload), 4),
        "stage_ms_per_article": per_stage,
        "without_ner_s": [round(s, 4) for s in without_ner_s],
        "articles_per_s_without_ner": round(len(workload) / median_no_ner_s, 1),
        "ms_per_article_without_ner": round(1000 * median_no_ner_s / len(workload), 4),
        "tokenizer_s": [round(s, 4) for s in tokenizer_s] if tokenizer_s else None,
        "tokenizer_ratio": round(median_s / median_tok_s, 2) if median_tok_s else None,
        "tokenizer_ratio_without_ner": round(median_no_ner_s / median_tok_s, 2) if median_tok_s else None,
        "peak_tracemalloc_mb": round(peak / 1e6, 2),
        "peak_rss_mb": round(rss_kb / 1024, 1),
        "first_result_s": round(statistics.median(first_result_seconds(found[0][0]) for _ in range(3)), 3) if first_result else None,
        "cold_start": cold_start(found[0][0]) if first_result else None,
        "targets": TARGETS,
        "notes": [spacy_note] if spacy_note else [],
    }
    return result


def _mark(ok: bool | None) -> str:
    return "" if ok is None else ("✓" if ok else "✗ below target")


def format_bench(r: dict) -> str:
    """The benchmark result as terminal lines, each number next to its target."""
    aps, ratio, first = r["articles_per_s"], r["tokenizer_ratio"], r["first_result_s"]
    bare, bare_ratio = r["articles_per_s_without_ner"], r["tokenizer_ratio_without_ner"]
    lines = [
        f"marsad bench: {r['articles']} articles ({r['texts']} texts repeated), {r['megabytes']:.2f} MB, "
        f"median of {r['runs']} runs, one core",
        f"  throughput      {aps:8.1f} articles/s  {r['mb_per_s']:.2f} MB/s  {r['ms_per_article']:.2f} ms/article  (with the NER model)"
        f"   target ≥ {TARGETS['articles_per_s']:.0f} articles/s  {_mark(aps >= TARGETS['articles_per_s'])}",
        f"  without NER     {bare:8.1f} articles/s  {r['ms_per_article_without_ner']:.2f} ms/article  (knowledge base and rules only)"
        f"   target ≥ {TARGETS['articles_per_s_without_ner']:.0f} articles/s  {_mark(bare >= TARGETS['articles_per_s_without_ner'])}",
    ]
    if ratio is not None:
        tok = statistics.median(r["tokenizer_s"])
        lines.append(f"  vs spaCy        tokenizer blank(\"ar\") {tok:.3f} s; pipeline {statistics.median(r['pipeline_s']):.3f} s"
                     f" = {ratio:.2f}× the tokenizer, without NER {statistics.median(r['without_ner_s']):.3f} s = {bare_ratio:.2f}×"
                     f"   target ≤ {TARGETS['tokenizer_ratio']:.0f}×  {_mark(bare_ratio <= TARGETS['tokenizer_ratio'])}")
    if first is not None:
        lines.append(f"  first result    {first:.3f} s (marsad extract in a subprocess, median of 3)"
                     f"   target ≤ {TARGETS['first_result_s']} s  {_mark(first <= TARGETS['first_result_s'])}")
    if r.get("cold_start"):
        c = r["cold_start"]
        slow = sorted(c["first_article_stages_ms"].items(), key=lambda kv: -kv[1])[:4]
        lines.append(f"    of which     import of the CLI {c['import_cli_s']:.2f} s, first article {c['first_article_s']:.2f} s "
                     f"(loading included: {', '.join(f'{k} {v:.0f} ms' for k, v in slow)})")
    lines.append(f"  memory          peak {r['peak_tracemalloc_mb']:.1f} MB traced during a pass after loading (tracemalloc), {r['peak_rss_mb']:.0f} MB RSS (ru_maxrss)")
    lines.append(f"  warm-up         {r['warmup_s']:.3f} s (lexicons, knowledge base, model loaded on the first article)")
    lines.append("  per stage (ms/article): " + "  ".join(f"{k} {v:.3f}" for k, v in r["stage_ms_per_article"].items()))
    lines += [f"  note: {n}" for n in r["notes"]]
    return "\n".join(lines)
