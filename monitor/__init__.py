"""War-news monitor: polls sources, extracts strike and negotiation events, alerts."""

__version__ = "0.1.0"
