"""Need and brokering: the results atlas, neighbourhood profiles, priorities and introductions."""
