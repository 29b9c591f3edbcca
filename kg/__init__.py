"""Rural Integration Knowledge Graph: the core (settings, store, SPARQL, search, errors)."""

__all__ = ["__version__"]
__version__ = "0.1.0"
