"""Benchmarks (not tests): `make bench` runs them against the embedded simulator."""
