"""Harbor: the platform team's collection of small async services."""
__version__ = "2.3.0"
