"""The search index, in annals' own format (SEARCH_INDEX.md), written by a process of its own."""
