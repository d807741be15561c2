"""PySide6 desk: renders the core, converts Qt positions in one place."""
