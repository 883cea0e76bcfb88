# The package version is a literal so that importing denialkit never needs
# importlib.metadata (about 38 ms of a cold start); tests check it against
# pyproject.toml's build metadata and the changelog.
__version__ = "0.1.0"

# The newest dataset release shipped; tools/build_release.py updates it
# and tests check it against releases/manifest.json.
LATEST_RELEASE = "2026.2"
