"""The benchmarks: the public site (``make bench``), the importer (``make bench-import``), the soak (``make soak``)."""
