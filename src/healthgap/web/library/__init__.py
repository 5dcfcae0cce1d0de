"""The learning library: case studies of what worked, so partnerships share practice."""
