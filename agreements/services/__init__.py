"""Writes of the agreements app; each status change is checked against agreements.workflow."""
