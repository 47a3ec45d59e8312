"""The query layer: store backends (embedded Oxigraph in memory or on disk, a remote SPARQL
endpoint), the worker pool that bounds each query, the result serialisers and the result cache.
No Flask here: the web views, the CLI, ``export`` and the benchmarks all use it."""
