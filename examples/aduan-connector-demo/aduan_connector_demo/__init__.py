"""Example Aduan connector: see plugin.py (the hooks) and simulator.py."""
__version__ = "0.1.0"
