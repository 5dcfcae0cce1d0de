"""Reports: terminal demo, neighbourhood profiles and board reports."""
