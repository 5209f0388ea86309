"""``annals review``: the local page on which an editor checks an import's candidates (server) and the
edits it makes to the figures files (edits)."""
