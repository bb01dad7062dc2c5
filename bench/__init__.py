"""The benchmark of the public site on an archive the size of the real paper's (``make bench``)."""
