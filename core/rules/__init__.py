"""What the method says about one project: priority, lifecycle, evaluation, diagnosis, findings."""
