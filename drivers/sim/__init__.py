"""Simulated devices: the twins of real hardware, on pseudo-terminals."""
