"""Citation rendering: pandoc citeproc, batched once per build, cached on disk."""
