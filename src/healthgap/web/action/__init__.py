"""What is being done: programmes, their activities (with people reached by group) and what communities tell us (insights)."""
