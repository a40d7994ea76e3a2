"""kg: knowledge graphs of which union runs which program, where, with how much."""
__version__ = "0.1.0"
