"""Simulator mode: the simulated physical world behind the terminal's devices."""
