"""annotator: label Arabic news with character spans; the Qt-free core.

Everything a user can do without a window lives here; ``ui/`` renders it and ``annotator.cli``
drives it from a terminal.
"""

__version__ = "0.1.0"
