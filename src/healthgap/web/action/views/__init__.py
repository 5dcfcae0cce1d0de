"""Views of the action app, one module per resource."""
