#!/usr/bin/env python
"""Django's command-line utility; ``jiedao`` (installed with the package) does the same."""

from jiedao.cli import main

if __name__ == "__main__":
    main()
