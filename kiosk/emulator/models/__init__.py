"""Pydantic models of every request and response body the emulator serves."""
