"""File formats, one module each, reader and writer side by side.

Readers yield :class:`annotator.model.Document`; writers take documents. No format touches the
store: ``annotator.project`` moves documents in and out of it.
"""
