"""Synthetic censuses for tests, samples and benchmarks (never used by a command)."""
