import json
import re
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from bench.benchmarks import api as api_bench
from bench.benchmarks import campaigns as campaigns_bench
from bench.benchmarks import documents as documents_bench
from bench.benchmarks import packets as packets_bench
from bench.benchmarks import requests as requests_bench
from bench.management.commands import bench as command
from bench.measuring import BenchRow
from rtcc_requests.requests.choices import LetterKind
from tests.reminders.test_scale import max_queries


class TestBenchCommand:
    def test_runs_every_benchmark_small_and_writes_the_table_and_json(self, db, tmp_path):
        """The CI run of `bench`: every app's benchmarks at a tiny size, so none can rot."""
        output = tmp_path / "bench.json"
        out = StringIO()
        call_command("bench", "--size", "tiny", "--in-place", "--output", str(output), stdout=out,
                     stderr=StringIO())  # fmt: skip
        table = out.getvalue()
        assert table.splitlines()[0].split()[:3] == ["name", "size", "median"]
        report = json.loads(output.read_text())
        assert report["size"] == "tiny" and report["database"] == connection.vendor
        rows = report["rows"]
        failures = [f"{r['app']}: {r['note']}" for r in rows if not r["ok"]]
        assert not failures, "\n".join(failures)
        tiny = command.SIZES["tiny"]
        letters = [LetterKind.REQUEST, LetterKind.FOLLOW_UP, LetterKind.DENIAL_CHALLENGE]
        # One row per benchmark and size: none may go missing (or turn up twice) unnoticed.
        assert sorted((r["app"], r["name"], r["size"]) for r in rows) == sorted(
            [
                ("agencies", "atlas_import", tiny["atlas_import"][0]),
                ("agencies", "atlas_reimport", tiny["atlas_import"][0]),
                ("denials", "denial log page", tiny["denial_log"][0]),
                ("denials", "denial log page, first read after a change", tiny["denial_log"][0]),
                ("denials", "denial log PDF, rendered", tiny["denial_log"][0]),
                ("denials", "denial log PDF, finished file served", tiny["denial_log"][0]),
                # Topped up to exactly that many public denials (the bulk data has fewer).
                ("denials", "denials_csv", tiny["denials_csv"][0]),
                ("reminders", "reminders_sweep", tiny["sweep"][0]),
                *[("campaigns", name, tiny["campaigns"][0]) for name in campaigns_bench.ROW_NAMES],
                *[("packets", name, tiny["packets"][0]) for name in packets_bench.ROW_NAMES],
                *[("documents", name, tiny["documents"][0]) for name in documents_bench.ROW_NAMES],
                ("documents", "document_read: text PDF", tiny["document_pages"][0]),
                ("documents", "document_read: scanned PDF, OCR", tiny["ocr_pages"][0]),
                *[("api", name, tiny["request_list"][0]) for name in api_bench.ROW_NAMES],
                *[("requests", name, tiny["request_list"][0]) for name, _ in requests_bench.VIEWS],
                *[
                    ("letters", f"letter PDF: {k.label.lower()}", tiny["letters"][0])
                    for k in letters
                ],
            ]
        )
        for row in rows:
            assert row["median_ms"] > 0 and row["p95_ms"] >= row["median_ms"]
            # Every benchmark measures work that reads the database and allocates.
            assert type(row["queries"]) is int and row["queries"] > 0, row["name"]
            assert row["peak_mb"] > 0, row["name"]
            assert row["name"] in table
        by_name = {r["name"]: r for r in rows}
        # The same file again changes nothing, so it writes nothing the first import wrote.
        assert by_name["atlas_reimport"]["queries"] < by_name["atlas_import"]["queries"]
        assert by_name["atlas_reimport"]["note"] == "same file again: 0 changes"
        # The summary and menus are cached: recomputing them after a change costs queries.
        page = by_name["denial log page"]["queries"]
        assert by_name["denial log page, first read after a change"]["queries"] > page
        # The sweep's queries are bounded by its batches (as in test_scale), plus the
        # benchmark's own savepoint and its rollback.
        sweep = by_name["reminders_sweep"]
        reminders, emails = map(
            int, re.match(r"(\d+) reminders, (\d+) emails", sweep["note"]).groups()
        )
        assert reminders > 0 and emails > 0
        assert sweep["queries"] <= max_queries(reminders, emails) + 2
        # Streamed from one query's rows, not a query per exported row.
        assert by_name["denials_csv"]["queries"] < by_name["denials_csv"]["size"]
        listed = [r for r in rows if r["name"].startswith("request list")]
        assert {r["size"] for r in listed} == {300}
        assert all(r["baseline_ms"] > 0 and r["ratio"] > 0 for r in listed)
        assert all(r["queries"] <= 12 for r in listed)  # whatever the data size
        plan = listed[0]["note"].splitlines()
        assert plan[0] == "main query plan:" and "requests_recordsrequest" in "".join(plan[1:])
        assert "main query plan" in table

    @pytest.mark.skipif("connection.vendor == 'postgresql'")
    def test_full_size_needs_postgresql(self, db):
        with pytest.raises(CommandError, match="needs PostgreSQL"):
            call_command("bench", "--size", "full", "--in-place")


def _module(run):
    return SimpleNamespace(run=run, __name__="fake")


class TestRunAll:
    def test_a_failing_app_is_a_failed_row_and_the_others_still_run(self, db, monkeypatch):
        def broken(*, sizes):
            raise ValueError("no such table")

        def fine(*, sizes):
            return [BenchRow("fine", n, 2.0, 3.0, 0.5, 4, baseline_ms=1.0) for n in sizes["x"]]

        monkeypatch.setattr(
            command, "discover", lambda: [("a", _module(broken)), ("b", _module(fine))]
        )
        monkeypatch.setattr(command, "keys_used", lambda module, sizes: set())
        rows = command.run_all({"x": [10, 20]}, only=set(), log=lambda text: None)
        assert rows[0]["ok"] is False and "ValueError: no such table" in rows[0]["note"]
        assert [(r["name"], r["size"], r["ratio"]) for r in rows[1:]] == [
            ("fine", 10, 2.0),
            ("fine", 20, 2.0),
        ]

    def test_sizes_are_staged_smallest_first_so_bulk_data_only_grows(self, db, monkeypatch):
        calls = []

        def record(*, sizes):
            calls.append({k: v for k, v in sizes.items() if v})
            return []

        monkeypatch.setattr(command, "discover", lambda: [("a", _module(record))])
        monkeypatch.setattr(command, "keys_used", lambda module, sizes: {"list", "sweep"})
        command.run_all({"list": [100, 1000], "sweep": [10, 100], "other": [5]}, only=set(),
                      log=lambda text: None)  # fmt: skip
        assert calls == [{"sweep": [10]}, {"list": [100], "sweep": [100]}, {"list": [1000]}]

    def test_apps_stages_interleave_so_the_data_grows_once_per_run(self, db, monkeypatch):
        calls = []

        def app(label, key):
            def record(*, sizes):
                calls.append((label, sizes[key][0]))
                return [BenchRow(label, sizes[key][0], 1.0, 1.0, 0.0, 0)]

            return SimpleNamespace(run=record, keys={key})

        modules = [("a", app("a", "list")), ("b", app("b", "sweep"))]
        monkeypatch.setattr(command, "discover", lambda: modules)
        monkeypatch.setattr(command, "keys_used", lambda module, sizes: module.keys)
        rows = command.run_all({"list": [100, 1000], "sweep": [10, 100]}, only=set(),
                             log=lambda text: None)  # fmt: skip
        assert calls == [("b", 10), ("a", 100), ("b", 100), ("a", 1000)]
        # ... and the table still reads app by app.
        assert [(r["app"], r["size"]) for r in rows] == [
            ("a", 100), ("a", 1000), ("b", 10), ("b", 100)
        ]  # fmt: skip

    def test_a_data_set_already_at_the_largest_size_is_measured_there_first(self, db, monkeypatch):
        calls = []

        def record(*, sizes):
            calls.append(sizes["list"])
            return []

        monkeypatch.setattr(command, "discover", lambda: [("a", _module(record))])
        monkeypatch.setattr(command, "keys_used", lambda module, sizes: {"list"})
        monkeypatch.setattr(command, "bulk_size", lambda: 1000)
        command.run_all({"list": [100, 1000]}, only=set(), log=lambda text: None)
        assert calls == [[1000], [100]]

    def test_only_limits_to_an_app_or_a_size_key(self, db, monkeypatch):
        seen = []

        def record(*, sizes):
            seen.append(sizes)
            return []

        monkeypatch.setattr(
            command, "discover", lambda: [("a", _module(record)), ("b", _module(record))]
        )
        monkeypatch.setattr(command, "keys_used", lambda module, sizes: set())
        command.run_all({"x": [1], "y": [2]}, only={"b"}, log=lambda text: None)
        assert seen == [{"x": [1], "y": [2]}]
        seen.clear()
        command.run_all({"x": [1], "y": [2]}, only={"y"}, log=lambda text: None)
        assert seen == [{"x": [], "y": [2]}, {"x": [], "y": [2]}]

    def test_discovers_the_request_list_benchmarks(self):
        labels = [label for label, _module in command.discover()]
        assert "requests" in labels


class TestTable:
    def test_aligns_numbers_and_shows_a_notes_first_line(self):
        rows = [
            {"name": "page", "size": 1000000, "median_ms": 12.345, "p95_ms": 20.0,
             "peak_mb": 1.5, "queries": 7, "baseline_ms": 4.0, "ratio": 3.09,
             "note": "plan:\nLimit ..."},
            {"name": "broken (failed)", "size": 10, "median_ms": None, "p95_ms": None,
             "peak_mb": None, "queries": None, "baseline_ms": None, "ratio": None,
             "note": "FAILED: boom"},
        ]  # fmt: skip
        lines = command.table(rows).splitlines()
        assert "1,000,000" in lines[2] and "12.35" in lines[2] and lines[2].endswith("plan:")
        assert lines[3].split()[2:4] == ["10", "-"] and "FAILED: boom" in lines[3]
        size_ends = lines[0].index("size") + 4
        assert lines[2].index("1,000,000") + 9 == size_ends == lines[3].index(" 10 ") + 3
        assert "== page @ 1,000,000\nplan:\nLimit ..." in command.details(rows)
