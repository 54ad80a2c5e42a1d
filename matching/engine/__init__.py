"""Plain-Python matching engine (no Django imports): skills taxonomy and scoring."""
