"""Petitions for Wagtail sites."""
