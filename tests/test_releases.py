"""
Shipped dataset releases are frozen: their hashes never change.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import subprocess
import sys
import zipfile

import pytest

import denialkit
from denialkit import ReleaseIntegrityError, _release

from .conftest import ROOT

# The sha256 of every file of every release ever shipped.  A release is
# never rebuilt or edited: if one of these fails, restore the file.
FROZEN = {
    "2026.1": {
        "codes": (
            "328e625c6e1c5e555670c2ae14d905f9129274e11eba746f7e5f9d0debbb09f2"
        ),
        "editorial": (
            "205fcfdb36df9e3d5d896c454920121be9f678c3a034255e3ae21ee509938059"
        ),
    },
    "2026.2": {
        "codes": (
            "14252641b5de1909adedb78935d5c59a50808ccda5130672f4ef6f5573758cf0"
        ),
        "editorial": (
            "8cef3696f1dbba6c38997da4d9cf4d41051d1b4f784b71536d9a7a607939fe1d"
        ),
    },
}


def test_every_shipped_release_is_frozen() -> None:
    """
    Each release's files hash to the values recorded here, and the
    manifest agrees; no release is missing from this table.
    """
    manifest = _release.manifest()["releases"]

    assert set(manifest) == set(FROZEN)
    for release, parts in FROZEN.items():
        for part, digest in parts.items():
            entry = manifest[release]["files"][part]
            raw = _release.read_resource(entry["name"])
            assert hashlib.sha256(raw).hexdigest() == digest
            assert entry["sha256"] == digest


def test_release_ids_are_calver_and_match_files() -> None:
    """
    Ids are YYYY.N, oldest first, and each names its own files.
    """
    ids = denialkit.releases()

    assert ids == sorted(ids, key=lambda r: tuple(map(int, r.split("."))))
    for release in ids:
        codes = _release.read_verified(release, "codes")
        assert codes["release"] == release


def test_altered_release_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """
    A release file that does not match its hash raises an error naming
    the release and telling the user to reinstall.
    """
    original = _release.read_resource

    def tampered(name: str) -> bytes:
        data = original(name)
        return (
            data.replace(b"medically", b"MEDICALLY")
            if name.endswith("codes.json")
            else data
        )

    monkeypatch.setattr(_release, "read_resource", tampered)
    monkeypatch.setattr(denialkit, "_datasets", {})

    with pytest.raises(ReleaseIntegrityError) as info:
        denialkit.load("2026.1")

    assert "2026.1" in str(info.value)
    assert "Reinstall" in str(info.value)


def test_every_release_loads_and_diffs() -> None:
    """
    All releases load; consecutive releases diff without error.
    """
    ids = denialkit.releases()
    datasets = [denialkit.load(r) for r in ids]

    for old, new in itertools.pairwise(datasets):
        diff = old.diff(new)
        assert (diff.old, diff.new) == (old.release, new.release)
        json.dumps(diff.to_dict())


def test_loads_from_the_built_wheel(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """
    A wheel carries every release and the package reads them straight
    from the zip (no files on disk).
    """
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    wheel = next(tmp_path.glob("denialkit-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for release in denialkit.releases():
        assert f"denialkit/releases/{release}/codes.json" in names
    assert "denialkit/py.typed" in names
    assert "denialkit/appeals/letters.json" in names
    assert "denialkit/appeals/sections/re_block.j2" in names

    code = (
        "import denialkit; r = denialkit.lookup('CO-50');"
        "assert '.whl' in denialkit.__file__, denialkit.__file__;"
        "from denialkit.appeals import builtin_letter, _render;"
        "letter = builtin_letter('R2');"
        "src = _render.joined_source("
        "tuple((s.name, s.source) for s in letter.sections));"
        "assert _render._precompiled(_render._strict_env, src) is not None;"
        "print(r.release, r.title)"
    )
    env = {**os.environ, "PYTHONPATH": str(wheel)}
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )

    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(denialkit.LATEST_RELEASE)
