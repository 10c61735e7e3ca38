"""The script PyInstaller freezes: the installed ``flowbench`` command, nothing more."""

from flowbench.app import main_entry

if __name__ == "__main__":
    main_entry()
