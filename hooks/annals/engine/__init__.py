"""What binds annals to MkDocs besides ``hooks/annals_hooks.py``: the ``mkdocs serve`` cache of converted
pages."""
