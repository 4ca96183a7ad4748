"""mlfolio's benchmarks: synthetic portfolios, timing helpers and the benchmark suites.

Run them all with ``make bench`` (``python -m bench``); see docs/benchmarks.md.
Each figure is judged only as a ratio against a reference measured in the same
run, because the machines the benchmarks run on are shared and noisy.
"""
