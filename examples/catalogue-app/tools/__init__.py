"""Operator tools run in the working directory with the app's settings."""
