"""annals: a government bureau's reports and their figures as a public archive.

The MkDocs hooks in ``hooks/annals_hooks.py`` are thin; the logic lives here in
plain, typed functions (data in, Markdown/HTML out) so the engine can change.
"""

__version__ = "0.1.0"
