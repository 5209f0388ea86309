"""What a build writes: the complete source tree of the site for any engine (``annals render``), and the
output that replaces the last good one only once it is complete (staging)."""
