"""Data shipped with the package: demo articles and their licences."""
