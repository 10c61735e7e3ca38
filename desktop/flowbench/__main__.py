"""Entry point for ``python -m flowbench``."""

from flowbench.app import main_entry

if __name__ == "__main__":
    main_entry()
