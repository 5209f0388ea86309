"""What each page shows: the pick from the archive (site), the blocks rendered from templates (render,
promise_pages, layout, labels), addresses (links) and the open data (publish)."""
