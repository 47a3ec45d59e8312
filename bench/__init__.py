"""Benchmarks: the project's speed as ratios against peers measured in the same run."""
