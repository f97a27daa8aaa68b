"""Petitions for Wagtail sites."""

__version__ = "0.2.0.dev0"
