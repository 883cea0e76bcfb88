"""
Version literals agree with the project metadata and the manifest.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import denialkit
from denialkit import _release

from .conftest import ROOT


def test_version_matches_changelog() -> None:
    """
    __version__ is a literal and the changelog has an entry for it.
    """
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")

    assert re.fullmatch(r"\d+\.\d+\.\d+", denialkit.__version__)
    assert f"## [{denialkit.__version__}]" in changelog


def test_latest_release_matches_manifest() -> None:
    """
    LATEST_RELEASE is the newest release in the manifest.
    """
    assert _release.latest() == denialkit.LATEST_RELEASE
    assert denialkit.releases()[-1] == denialkit.LATEST_RELEASE


def test_import_loads_no_jinja_yaml_or_metadata() -> None:
    """
    Importing denialkit and looking up a code touches neither jinja2, yaml
    nor importlib.metadata (they cost most of a cold start).
    """
    code = (
        "import sys, json, denialkit; denialkit.lookup('CO-50');"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0]"
        " in ('jinja2', 'yaml', 'markupsafe') or m == 'importlib.metadata')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )

    assert json.loads(out.stdout) == []
