"""The Textual user interface: shows views, turns key presses and taps into events."""
