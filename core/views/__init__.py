"""What each view draws, computed once per portfolio version: dashboard, board, grid, ranking."""
