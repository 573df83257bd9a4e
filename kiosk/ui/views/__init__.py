"""One widget per screen the terminal shows, each rendering one workflow view."""
