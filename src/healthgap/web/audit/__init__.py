"""The audit log: who created, changed, deleted or exported what, and when.

Writes go through `actions` functions that call `record(by=..., ...)` inside the same
`transaction.atomic()` block as the change, so the event and the change commit or roll back
together (job-server's `AuditableEvent` pattern).
"""
