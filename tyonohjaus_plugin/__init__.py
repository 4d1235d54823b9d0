"""Työnohjaus plugin: an HR service (applications, matching, meetings) for Wagtail intranets."""

__version__ = "0.1.0"
