"""``python -m perisai.crisis.feeds FILE`` (the same as ``perisai crisis parse-feed FILE``)."""

import sys

from .cli import main

sys.exit(main(sys.argv[1:], sys.stdout, sys.stderr))
