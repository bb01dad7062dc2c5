from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmarks' commands (bench, bench_import, soak), installed by the benchmarks' settings only."""

    name = "bench"
    verbose_name = "Benchmarks"
