"""What is being done: programmes, activities (people reached by group) and insights."""
