"""People, roles and permissions (job-server's pattern: a permission enum, roles as lists)."""
