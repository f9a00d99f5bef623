"""Test and demo servers that stand in for remote complaint systems.

Not part of the installed portal: they run from a checkout (`make run`, the
tests), as `python -m simulators.sp4n` and `python -m simulators.rabeg`.
"""
