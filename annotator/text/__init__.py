"""Text processing over stored article text: tokens, search keys and offset maps.

Nothing here rewrites stored text; every function returns offsets into the text it was given.
"""
