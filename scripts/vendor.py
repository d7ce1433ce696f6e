#!/usr/bin/env python3
"""Refresh the vendored front-end assets in lamtheo/static/vendor (``make vendor``).

The versions are written in one place, the table of lamtheo/static/vendor/README.md; this
script reads them from there, fetches each package with ``npm pack <name>@<version>`` into a
temporary folder, and writes the files the table lists, plus the package's LICENSE, with the
changes the README explains (no dangling ``sourceMappingURL``, bootstrap-icons' font-face
reduced to the vendored woff2). Run with the versions unchanged, it changes nothing.

Needs Python 3.11+ (standard library only), npm and the npm registry.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "lamtheo" / "static" / "vendor"
README = VENDOR / "README.md"


@dataclass(frozen=True)
class Layout:
    """Where a package goes and where its files are inside the npm tarball."""

    folder: str
    #: vendored name (as in the README's table) → path inside the package
    sources: dict[str, str]


LAYOUTS = {
    "bootstrap": Layout(
        "bootstrap",
        {
            "bootstrap.min.css": "dist/css/bootstrap.min.css",
            "bootstrap.bundle.min.js": "dist/js/bootstrap.bundle.min.js",
        },
    ),
    "htmx.org": Layout("htmx", {"htmx.min.js": "dist/htmx.min.js"}),
    "bootstrap-icons": Layout(
        "bootstrap-icons",
        {
            "bootstrap-icons.min.css": "font/bootstrap-icons.min.css",
            "fonts/bootstrap-icons.woff2": "font/fonts/bootstrap-icons.woff2",
        },
    ),
}

ROW = re.compile(r"^\|\s*([a-z0-9.@/-]+)\s*\|\s*(\d+\.\d+\.\d+)\s*\|\s*([^|]+?)\s*\|\s*$")
#: The comment minifiers put on the last line; the maps are not vendored.
SOURCE_MAP = re.compile(rb"\n(?:/\*# sourceMappingURL=[^\n]*\*/|//# sourceMappingURL=[^\n]*)\s*\Z")
#: bootstrap-icons' font-face: woff2 and woff, each with a ``?<hash>`` cache-buster.
ICONS_SRC = re.compile(
    rb'src:url\("fonts/bootstrap-icons\.woff2\?[0-9a-f]+"\) format\("woff2"\)'
    rb',url\("fonts/bootstrap-icons\.woff\?[0-9a-f]+"\) format\("woff"\)'
)


class VendorError(Exception):
    pass


def pinned() -> list[tuple[str, str, list[str]]]:
    """(package, version, files) for each row of the README's table."""
    rows = []
    for line in README.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            name, version, files = match.groups()
            rows.append((name, version, [f.strip() for f in files.split(",")]))
    if not rows:
        raise VendorError(f"no «| package | version | files |» rows in {README}")
    for name, _version, files in rows:
        layout = LAYOUTS.get(name)
        if layout is None or sorted(files) != sorted(layout.sources):
            raise VendorError(
                f"{README.name} lists {name}: {', '.join(files)}, but {Path(__file__).name} "
                f"knows {', '.join(layout.sources) if layout else 'nothing of it'}: update LAYOUTS"
            )
    return rows


def drop_source_map(data: bytes) -> bytes:
    return SOURCE_MAP.sub(b"", data)


def icons_woff2_only(data: bytes) -> bytes:
    fixed, count = ICONS_SRC.subn(b'src:url("fonts/bootstrap-icons.woff2") format("woff2")', data)
    if count != 1:
        raise VendorError("bootstrap-icons.min.css: the @font-face src is not the one expected")
    return fixed


#: Changes to the files as published (see the README): vendored name → functions.
FIXES: dict[str, list[Callable[[bytes], bytes]]] = {
    "bootstrap.min.css": [drop_source_map],
    "bootstrap.bundle.min.js": [drop_source_map],
    "htmx.min.js": [drop_source_map],
    "bootstrap-icons.min.css": [drop_source_map, icons_woff2_only],
}


def npm_pack(spec: str, into: Path) -> Path:
    result = subprocess.run(
        ["npm", "pack", spec, "--json", "--ignore-scripts", "--pack-destination", str(into)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise VendorError(f"npm pack {spec} failed:\n{result.stderr.strip()}")
    return into / json.loads(result.stdout)[0]["filename"]


def read_member(tarball: Path, path: str) -> bytes:
    with tarfile.open(tarball, "r:gz") as tar:
        try:
            member = tar.getmember(f"package/{path}")
        except KeyError:
            raise VendorError(f"{tarball.name} has no {path}") from None
        handle = tar.extractfile(member)
        if handle is None:
            raise VendorError(f"{tarball.name}: {path} is not a regular file")
        return handle.read()


def write(target: Path, data: bytes) -> str:
    if target.exists() and target.read_bytes() == data:
        return "unchanged"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return "written"


def main() -> int:
    try:
        rows = pinned()
        with tempfile.TemporaryDirectory(prefix="lamtheo-vendor-") as tmp:
            for name, version, files in rows:
                layout = LAYOUTS[name]
                tarball = npm_pack(f"{name}@{version}", Path(tmp))
                for vendored in ["LICENSE", *files]:
                    data = read_member(tarball, layout.sources.get(vendored, vendored))
                    for fix in FIXES.get(vendored, []):
                        data = fix(data)
                    target = VENDOR / layout.folder / vendored
                    status = write(target, data)
                    print(f"{name}@{version}: {target.relative_to(ROOT)} {status}")
    except VendorError as error:
        print(f"vendor: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
