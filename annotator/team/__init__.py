"""Teams: members and their roles, settings and assignments; work packages (pack, the
merge plan, merge)."""
