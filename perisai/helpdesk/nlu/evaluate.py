"""python -m perisai.helpdesk.nlu.evaluate [path/to/file.jsonl] [--json]: print the per-intent table."""

import sys

from .evaluation import main

if __name__ == "__main__":
    sys.exit(main())
