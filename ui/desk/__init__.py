"""The annotation desk (PySide6): the window, its one controller, the text view and the panels."""
