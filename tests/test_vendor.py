"""``make vendor`` (scripts/vendor.py), offline: npm is replaced by tarballs built from the
committed files as npm publishes them, and the script must write those files back byte for
byte."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

import pytest

from scripts import vendor

#: How the published files end: the comment the committed copies no longer have.
PUBLISHED_TAILS = {
    "bootstrap.min.css": b"\n/*# sourceMappingURL=bootstrap.min.css.map */",
    "bootstrap.bundle.min.js": b"\n//# sourceMappingURL=bootstrap.bundle.min.js.map",
}
HASH = b"e34853135f9e39acf64315236852cd5a"
ICONS_COMMITTED_SRC = b'src:url("fonts/bootstrap-icons.woff2") format("woff2")'
ICONS_PUBLISHED_SRC = (
    b'src:url("fonts/bootstrap-icons.woff2?' + HASH + b'") format("woff2"),'
    b'url("fonts/bootstrap-icons.woff?' + HASH + b'") format("woff")'
)


def published(vendored: str, committed: bytes) -> bytes:
    """The file as npm has it, rebuilt from the committed copy."""
    if vendored == "bootstrap-icons.min.css":
        assert committed.count(ICONS_COMMITTED_SRC) == 1
        return committed.replace(ICONS_COMMITTED_SRC, ICONS_PUBLISHED_SRC)
    return committed + PUBLISHED_TAILS.get(vendored, b"")


def fake_npm_pack(spec: str, into: Path) -> Path:
    name, _, version = spec.rpartition("@")
    layout = vendor.LAYOUTS[name]
    tarball = into / f"{name}-{version}.tgz"
    with tarfile.open(tarball, "w:gz") as tar:
        for vendored, inside in [("LICENSE", "LICENSE"), *layout.sources.items()]:
            data = (vendor.VENDOR / layout.folder / vendored).read_bytes()
            data = published(vendored, data)
            info = tarfile.TarInfo(f"package/{inside}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return tarball


def test_the_readme_table_gives_every_package_its_version_and_files():
    rows = vendor.pinned()
    assert [(name, files) for name, _version, files in rows] == [
        ("bootstrap", ["bootstrap.min.css", "bootstrap.bundle.min.js"]),
        ("htmx.org", ["htmx.min.js"]),
        ("bootstrap-icons", ["bootstrap-icons.min.css", "fonts/bootstrap-icons.woff2"]),
    ]
    assert all(version.count(".") == 2 for _name, version, _files in rows)


def test_make_vendor_writes_back_the_committed_files_byte_for_byte(monkeypatch, capsys):
    committed = {p: p.read_bytes() for p in vendor.VENDOR.rglob("*") if p.is_file()}
    monkeypatch.setattr(vendor, "npm_pack", fake_npm_pack)
    written = {}

    def write(path: Path, data: bytes) -> str:
        written[path.relative_to(vendor.VENDOR)] = data
        return "written"

    monkeypatch.setattr(vendor, "write", write)
    assert vendor.main() == 0
    expected = {p.relative_to(vendor.VENDOR): d for p, d in committed.items()}
    del expected[Path("README.md")]
    assert written.keys() == expected.keys()
    for name, data in written.items():
        assert data == expected[name], name
    assert "bootstrap@5.3.9" in capsys.readouterr().out


def test_write_leaves_an_identical_file_alone(tmp_path):
    path = tmp_path / "a.js"
    assert vendor.write(path, b"x") == "written"
    assert vendor.write(path, b"x") == "unchanged"
    assert vendor.write(path, b"y") == "written"
    assert path.read_bytes() == b"y"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"a{}\n/*# sourceMappingURL=x.css.map */", b"a{}"),
        (b"a{}\n/*# sourceMappingURL=x.css.map */\n", b"a{}"),
        (b"f();\n//# sourceMappingURL=x.js.map", b"f();"),
        (b"f();", b"f();"),
        (b"/*# sourceMappingURL=x.map */ f();\nend", b"/*# sourceMappingURL=x.map */ f();\nend"),
    ],
)
def test_only_a_trailing_source_map_comment_is_dropped(data, expected):
    assert vendor.drop_source_map(data) == expected


def test_an_unexpected_icons_font_face_stops_the_refresh():
    with pytest.raises(vendor.VendorError, match="font-face"):
        vendor.icons_woff2_only(b'@font-face{src:url("fonts/other.woff2")}')


def test_a_readme_row_the_script_cannot_place_stops_the_refresh(tmp_path, monkeypatch):
    readme = tmp_path / "README.md"
    readme.write_text(
        "| package | version | files |\n|---|---|---|\n| htmx.org | 2.0.12 | x.js |\n"
    )
    monkeypatch.setattr(vendor, "README", readme)
    with pytest.raises(vendor.VendorError, match="update LAYOUTS"):
        vendor.pinned()


def test_an_npm_failure_is_reported_without_a_traceback(monkeypatch, capsys):
    def failing_run(*args, **kwargs):
        return subprocess.CompletedProcess(args, 1, stdout="", stderr="npm error 404 Not Found")

    monkeypatch.setattr(vendor.subprocess, "run", failing_run)
    monkeypatch.setattr(vendor, "write", lambda path, data: pytest.fail("nothing to write"))
    assert vendor.main() == 1
    assert "npm pack bootstrap@5.3.9 failed" in capsys.readouterr().err
