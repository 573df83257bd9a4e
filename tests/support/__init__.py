"""Helpers shared by test suites: real servers and processes to test against."""
