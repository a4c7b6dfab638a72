"""``python -m autodl`` runs the command line."""

from autodl.cli import main

raise SystemExit(main())
