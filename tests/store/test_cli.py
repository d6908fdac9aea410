"""The real ``marsad`` commands in subprocesses: a batch with bad inputs, kill -9 mid-ingest, two ingests at once,
and the seeds against the Air Force reference records."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from marsad.store import queries
from marsad.store import tables as t
from marsad.store.db import open_store
from tests.conftest import SEEDS
from tests.store.corpus import write_corpus

MARSAD = [sys.executable, "-m", "marsad.cli"]


def run(*args: str, db: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([*MARSAD, *args, "--db", db], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "COLUMNS": "200"})


def assert_consistent(db: str) -> int:
    """Every stored article is complete (all items of its report, each attack in an event) and events
    count their articles right; returns the number of articles."""
    store = open_store(db)
    with store.read() as conn:
        if store.dialect == "sqlite":
            assert conn.execute(sa.text("PRAGMA integrity_check")).scalar() == "ok"
        reports = conn.execute(sa.select(t.articles.c.id, t.articles.c.report, t.articles.c.duplicate_of)).all()
        for aid, report, dup in reports:
            n_attacks = conn.execute(sa.select(sa.func.count()).where(t.attacks.c.article_id == aid)).scalar()
            if dup is None:
                assert n_attacks == len(report["attacks"]), aid
                n_figs = conn.execute(sa.select(sa.func.count()).where(t.figures.c.article_id == aid)).scalar()
                assert n_figs == sum(len(a["figures"]) for a in report["attacks"]), aid
        assert conn.execute(sa.select(sa.func.count()).where(t.attacks.c.event_id.is_(None))).scalar() == 0
        assert conn.execute(sa.select(sa.func.count()).where(t.figures.c.event_id.is_(None))).scalar() == 0
        n_search = conn.execute(sa.text("SELECT count(*) FROM article_search")).scalar()
        assert n_search == len(reports)
        for ev_id, n in conn.execute(sa.select(t.events.c.id, t.events.c.n_articles).where(t.events.c.kind == "attack")):
            members = conn.execute(sa.select(sa.func.count(sa.distinct(t.attacks.c.article_id)))
                                   .where(t.attacks.c.event_id == ev_id)).scalar()
            assert members == n >= 1, ev_id
    store.close()
    return len(reports)


def test_batch_reports_bad_inputs_and_goes_on(db_url, tmp_path):
    corpus = write_corpus(tmp_path / "good.jsonl", 3)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "english.txt").write_text("This article is written in English only, with no Arabic at all.", encoding="utf-8")
    (tmp_path / "bad.jsonl").write_text('{"id": "x", "text": 5}\nnot json\n', encoding="utf-8")
    proc = run("ingest", str(corpus), str(tmp_path / "empty.txt"), str(tmp_path / "english.txt"),
               str(tmp_path / "bad.jsonl"), str(tmp_path / "missing.txt"), db=db_url)
    assert proc.returncode == 1, proc.stderr
    for name in ("empty.txt", "english.txt", "bad.jsonl:1", "bad.jsonl:2", "missing.txt"):
        assert name in proc.stderr
    assert "5 input(s) failed" in proc.stderr
    assert "added" in proc.stdout and " 3 " in proc.stdout
    again = run("ingest", str(corpus), db=db_url)
    assert again.returncode == 0 and "duplicate" in again.stdout
    assert assert_consistent(db_url) == 3
    listed = json.loads(run("events", "--json", db=db_url).stdout)
    assert sorted({a for e in listed if e["kind"] == "attack" for a in e["articles"]}) == ["art-0", "art-1", "art-2"]
    out = tmp_path / "events.csv"
    assert run("export", "--format", "csv", "--out", str(out), db=db_url).returncode == 0
    assert out.read_text("utf-8").startswith("event_id,event_date,event_type,sub_event_type,actor1,actor2,country")


def _wait_for_articles(db: str, at_least: int, proc: subprocess.Popen, limit_s: float = 300) -> None:
    store = open_store(db)
    deadline = time.monotonic() + limit_s
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if queries.stats(store)["articles"] >= at_least:
                return
            time.sleep(0.05)
    finally:
        store.close()
    raise AssertionError(f"ingest stored fewer than {at_least} articles (exit code {proc.poll()})")


def test_kill_9_mid_ingest_leaves_a_consistent_store_and_a_rerun_completes(db_url, tmp_path):
    n = 200
    corpus = write_corpus(tmp_path / "corpus.jsonl", n)
    open_store(db_url).close()  # schema created before timing starts
    proc = subprocess.Popen([*MARSAD, "ingest", str(corpus), "--db", db_url, "--quiet", "--no-embed"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _wait_for_articles(db_url, 20, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"
    stored = assert_consistent(db_url)
    assert 20 <= stored < n
    rerun = run("ingest", str(corpus), "--quiet", "--no-embed", db=db_url)
    assert rerun.returncode == 0, rerun.stderr
    assert assert_consistent(db_url) == n


def test_two_ingests_at_once_neither_corrupt_nor_duplicate(db_url, tmp_path):
    n = 80
    corpus = write_corpus(tmp_path / "corpus.jsonl", n)
    open_store(db_url).close()
    procs = [subprocess.Popen([*MARSAD, "ingest", str(corpus), "--db", db_url, "--quiet", "--no-embed"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1] for o in outs]
    assert assert_consistent(db_url) == n
    # the same events, with the same members, as one ingest alone would make: nothing linked twice
    alone = str(tmp_path / "alone.db")
    assert run("ingest", str(corpus), "--quiet", "--no-embed", db=alone).returncode == 0
    assert _partition(db_url) == _partition(alone)


def _partition(db: str) -> list[tuple[str | None, tuple[str, ...]]]:
    store = open_store(db)
    events = queries.list_events(store, with_articles=True, limit=100_000)
    store.close()
    return sorted((e["date"], tuple(e["articles"])) for e in events)


def test_seeds_against_the_reference_records(db_url, shared_dir):
    proc = run("ingest", str(SEEDS), db=db_url)
    assert proc.returncode == 0, proc.stderr
    ref = shared_dir / "data/reference/ukraine-air-attacks/missile_attacks_daily.csv"
    assert "records added" in run("reference", "load", str(ref), db=db_url).stdout
    events = json.loads(run("events", "--json", "--kind", "attack", db=db_url).stdout)
    # an article may report more than one attack: take each seed's main one (most launched)
    by_article = {a: e["id"] for e in sorted(events, key=lambda e: e["launched"] or 0) for a in e["articles"]}
    july = json.loads(run("event", by_article["seed-000"], "--json", db=db_url).stdout)["reference"]
    assert july["night"] == "2025-07-04"
    july_checks = {(c["measure"], c["weapon"]): (c["claimed"], c["record"]) for c in july["checks"]}
    assert july_checks[("launched", "drone")] == (539, 539)
    assert july_checks[("launched", "missile")] == (10, 11)
    may = json.loads(run("event", by_article["seed-003"], "--json", db=db_url).stdout)["reference"]
    assert may["night"] == "2025-05-18"
    assert {(c["measure"], c["claimed"], c["record"]) for c in may["checks"]} >= {
        ("launched", 273, 273), ("intercepted", 88, 88), ("lost", 128, 128)}
    shown = run("event", by_article["seed-000"], db=db_url).stdout
    assert "539" in shown and "وفقًا للقوات الجوية في أوكرانيا" in shown  # every claim with its sentence
