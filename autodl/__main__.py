"""``python -m autodl`` runs the command line."""

from autodl.cli import main

# importing the module (as the API reference does) runs nothing
if __name__ == "__main__":
    raise SystemExit(main())
