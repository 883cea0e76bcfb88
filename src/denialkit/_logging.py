"""
Debug logging that costs nothing until the app uses logging.

Messages go through ``logging.getLogger(name)`` with no handlers of our
own.  Until the app has imported :mod:`logging` no handler can exist, so
nothing is logged and :mod:`logging` is not imported: importing it would
cost a first lookup or a first letter several milliseconds.
"""

from __future__ import annotations

import sys


def debug(name: str, message: str, *args: object) -> None:
    """
    Log *message* % *args* at DEBUG on logger *name*, if logging is used.
    """
    logging = sys.modules.get("logging")
    if logging is not None:
        logging.getLogger(name).debug(message, *args)
