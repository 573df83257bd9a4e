"""Workflows: plain state machines that take events and give commands.

They import neither Textual nor a driver nor the Konnect client, so each can be
read, tested and changed alone.
"""
