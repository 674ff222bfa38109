"""The `hansei` console script: the command line, started with the garbage collector held.

Importing the commands allocates some hundred thousand objects and no garbage
worth collecting, yet the collector would walk them again and again as they
pile up, and once more when the interpreter exits. So it waits until they are
imported, and they are then frozen: kept out of every later collection. The
commands themselves run with the collector as usual. (bench/cli.py measures
the start-up; this saves about a sixth of `hansei lint`'s CPU time.)
"""

from __future__ import annotations

import gc


def main() -> None:
    gc.disable()
    try:
        from hansei.cli.app import main as run_command_line
    finally:
        gc.freeze()
        gc.enable()
    run_command_line()
