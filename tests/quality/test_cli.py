"""The JSON-lines command line: classify, copies, bad input, exit codes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from lamtheo.quality.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(argv: list[str], lines: list[str]) -> tuple[int, list[dict], str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out, stderr=err)
    rows = [json.loads(x) for x in out.getvalue().splitlines()]
    return code, rows, err.getvalue()


def test_classify_one_line_per_input() -> None:
    code, rows, err = run(
        ["classify"],
        [
            json.dumps({"id": 1, "text": "Hoàn thành tốt nhiệm vụ được giao"}),
            json.dumps(
                {"id": "b", "text": "Kiểm tra sổ đầu bài mỗi thứ Sáu", "sector": "giao_duc"}
            ),
        ],
    )
    assert code == 0 and err == ""
    assert [r["id"] for r in rows] == [1, "b"]
    assert rows[0]["label"] == "generic"
    assert rows[1]["label"] == "specific_with_target"
    assert set(rows[1]) == {"id", "label", "score", "reasons", "targets"}
    assert rows[1]["targets"][0]["kind"] == "frequency"


def test_bad_lines_are_reported_in_vietnamese_and_skipped() -> None:
    code, rows, err = run(
        ["classify"],
        [
            "{not json",
            json.dumps({"text": "thiếu id"}),
            json.dumps({"id": 3}),
            json.dumps([1, 2]),
            json.dumps({"id": 5, "text": 12}),
            json.dumps({"id": 6, "text": "Phụ đạo 5 HS yếu"}),
        ],
    )
    assert code == 1
    assert [r["id"] for r in rows] == [6]
    lines = err.splitlines()
    assert len(lines) == 5
    assert lines[0].startswith("Dòng 1:") and "JSON" in lines[0]
    assert lines[1].startswith("Dòng 2:") and "thiếu trường id" in lines[1]
    assert lines[2].startswith("Dòng 3:") and "thiếu trường text" in lines[2]
    assert lines[3].startswith("Dòng 4:")
    assert lines[4].startswith("Dòng 5:")


def test_copies_reports_each_pair_once_with_threshold() -> None:
    base = "Phụ đạo 5 HS yếu môn Toán lớp 8A3 vào chiều thứ Năm hằng tuần; kiểm tra vở ghi của học sinh lớp chủ nhiệm mỗi tuần một lần"
    copy = "- Kiem tra vo ghi cua hoc sinh lop chu nhiem moi tuan mot lan\n- Phu dao 7 HS yeu mon Toan lop 9A1 vao chieu thu Nam hang tuan"
    other = "Vận động bà con ấp Đông Bình trồng hoa trên tuyến đường liên ấp trước Tết Nguyên đán năm nay"
    lines = [
        json.dumps({"id": "x", "text": base}),
        json.dumps({"id": "y", "text": other}),
        json.dumps({"id": "z", "text": copy}),
    ]
    code, rows, _ = run(["copies"], lines)
    assert code == 0
    assert rows == [{"a": "x", "b": "z", "similarity": 1.0}]
    code, rows, _ = run(["copies", "--threshold", "1.01"], lines)
    assert rows == []


def test_copies_respects_scope() -> None:
    base = "Phụ đạo 5 HS yếu môn Toán lớp 8A3 vào chiều thứ Năm hằng tuần; kiểm tra vở ghi của học sinh lớp chủ nhiệm mỗi tuần một lần"
    lines = [
        json.dumps({"id": 1, "text": base, "scope": "cb1"}),
        json.dumps({"id": 2, "text": base, "scope": "cb2"}),
        json.dumps({"id": 3, "text": base, "scope": "cb1"}),
    ]
    _, rows, _ = run(["copies"], lines)
    assert [(r["a"], r["b"]) for r in rows] == [(1, 3)]


def test_copies_bad_line_sets_exit_code_but_pairs_are_printed() -> None:
    base = "Phụ đạo 5 HS yếu môn Toán lớp 8A3 vào chiều thứ Năm hằng tuần; kiểm tra vở ghi của học sinh"
    code, rows, err = run(
        ["copies"],
        [json.dumps({"id": 1, "text": base}), "oops", json.dumps({"id": 2, "text": base})],
    )
    assert code == 1 and len(rows) == 1 and err.startswith("Dòng 2:")


def test_module_entry_point_runs_as_a_subprocess() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "lamtheo.quality", "classify"],
        input=json.dumps({"id": 1, "text": "Nạo vét kênh Ông Cò"}) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["label"] == "specific_with_target"


def test_usage_error_exit_code() -> None:
    assert main(["nope"], stdin=io.StringIO(""), stdout=io.StringIO(), stderr=io.StringIO()) == 2
