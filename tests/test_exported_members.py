"""
The public names and __all__ stay in step.
"""

from __future__ import annotations

import importlib

import pytest

MODULES = ["denialkit", "denialkit.appeals", "denialkit.exceptions"]


@pytest.mark.parametrize("name", MODULES)
def test_all_lists_every_public_name(name: str) -> None:
    """
    __all__ is sorted and names exactly the module's public attributes.
    """
    module = importlib.import_module(name)
    public = {
        attr
        for attr, value in vars(module).items()
        if not attr.startswith("_")
        and getattr(value, "__module__", name).startswith("denialkit")
        and not isinstance(value, type(importlib))
    }

    assert list(module.__all__) == sorted(module.__all__, key=_isort_key)
    assert public <= set(module.__all__) | {"annotations"}
    for attr in module.__all__:
        assert hasattr(module, attr), attr


def _isort_key(name: str) -> tuple[int, str]:
    if name.isupper():
        return (0, name)

    return (1 if name[0].isupper() else 2, name)
