"""The review desk (PySide6): adjudication lanes and the agreement tab."""
