"""Allow ``python -m wbbrief``."""

from wbbrief.cli import main

if __name__ == "__main__":
    main()
