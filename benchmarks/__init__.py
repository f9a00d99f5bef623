"""Benchmarks, reported as ratios against a baseline measured in the same run.

Absolute times on shared machines are noise; a ratio of two things measured
side by side, interleaved, is not.  Run with `make bench`.
"""
