"""
Every public name is documented with an example, and the examples on
constants and type aliases (which --doctest-modules does not collect)
run too.
"""

from __future__ import annotations

import doctest
import importlib
from typing import Any

import griffe
import pytest

from .conftest import ROOT

MODULES = ("denialkit", "denialkit.appeals", "denialkit.exceptions")


def _public() -> list[tuple[str, Any]]:
    package = griffe.load(
        "denialkit",
        search_paths=[str(ROOT / "src")],
        docstring_parser="google",
    )
    found = []
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        prefix = module_name.removeprefix("denialkit").lstrip(".")
        for name in module.__all__:
            path = f"{prefix}.{name}" if prefix else name
            target = package[path]
            if target.is_alias:
                target = target.final_target
            found.append((f"{module_name}.{name}", target))

    return found


PUBLIC = _public()


@pytest.mark.parametrize(
    ("path", "target"), PUBLIC, ids=[p for p, _ in PUBLIC]
)
def test_public_name_has_example_and_version(path: str, target: Any) -> None:
    """
    Each public name's docstring has an example and says when it came.
    """
    text = target.docstring.value if target.docstring else ""

    assert ">>>" in text, path
    assert "Added in" in text, path


@pytest.mark.parametrize(
    ("path", "target"),
    [(p, t) for p, t in PUBLIC if t.is_attribute],
    ids=[p for p, t in PUBLIC if t.is_attribute],
)
def test_attribute_examples_run(path: str, target: Any) -> None:
    """
    The examples on constants and type aliases pass.
    """
    module = importlib.import_module(target.parent.path)
    test = doctest.DocTestParser().get_doctest(
        target.docstring.value, dict(vars(module)), path, None, 0
    )
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)

    runner.run(test)

    assert test.examples
    assert runner.failures == 0
