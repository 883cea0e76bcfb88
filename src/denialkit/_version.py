# The package version is a literal so that importing denialkit never needs
# importlib.metadata (about 38 ms of a cold start); tests check it against
# pyproject.toml's build metadata and the changelog.
__version__ = "0.1.0"
"""
The version of the denialkit package (SemVer), such as ``"0.1.0"``.

It is not the dataset release: one package version ships several
releases, listed by :func:`denialkit.releases`.

>>> import denialkit
>>> denialkit.__version__ == denialkit.LATEST_RELEASE
False

Added in 0.1.0.
"""

# The newest dataset release shipped; tools/build_release.py updates it
# and tests check it against releases/manifest.json.
LATEST_RELEASE = "2026.2"
"""
The id of the newest dataset release this package ships.

:func:`denialkit.load` and :func:`denialkit.lookup` use it when no
release is given.  It changes when denialkit is upgraded, so pin a release
where answers must stay the same.

>>> import denialkit
>>> denialkit.LATEST_RELEASE == denialkit.releases()[-1]
True

Added in 0.1.0.
"""
