"""The rating screen: a person rates a project's lenses and cost drivers, then sees the spread."""
