"""
The public surface of denialkit.remit.
"""

from __future__ import annotations

import denialkit.remit


def test_all_lists_every_public_name_sorted() -> None:
    """
    __all__ is sorted and names exactly the module's public attributes.
    """
    public = {
        name
        for name in vars(denialkit.remit)
        if not name.startswith("_")
        and not isinstance(getattr(denialkit.remit, name), type(denialkit))
        and name != "annotations"
    }

    assert denialkit.remit.__all__ == sorted(
        denialkit.remit.__all__, key=_isort_key
    )
    assert set(denialkit.remit.__all__) == public


def _isort_key(name: str) -> tuple[int, str]:
    # Constants, then classes, then functions, as ruff sorts __all__.
    if name.isupper():
        return (0, name)

    return (1 if name[0].isupper() else 2, name)


def test_importing_the_reader_does_not_import_jinja2() -> None:
    """
    Reading remittances needs nothing beyond attrs and the stdlib.
    """
    import subprocess
    import sys

    code = (
        "import sys, denialkit.remit as r; "
        "list(r.read('ST*835*1~SE*2*1~')); "
        "print(sorted(m for m in ('jinja2', 'yaml') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )

    assert out.stdout.strip() == "[]"
