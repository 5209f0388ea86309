"""What binds annals to MkDocs besides ``hooks/annals_hooks.py``: the ``mkdocs serve`` cache of converted
pages and the staged site that replaces the last good one only when a build succeeds."""
