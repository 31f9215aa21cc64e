"""``python -m viz``: see `viz.cli`."""

from viz.cli import main

raise SystemExit(main())
