"""
Helpers and fixtures for the 835 reader tests.
"""
