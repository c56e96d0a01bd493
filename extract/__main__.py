"""``python -m extract``: the command line. Ctrl-C while it is still starting up (importing spaCy)
is a clean exit too, not a traceback."""

import sys

try:
    from .cli import main

    code = main()
except KeyboardInterrupt:
    print("error: interrupted; nothing was written", file=sys.stderr)
    code = 130
raise SystemExit(code)
