"""Views of the need app, one module per resource."""
