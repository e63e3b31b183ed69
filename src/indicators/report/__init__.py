"""Renderers: each turns Results into one output format. None computes a number."""
