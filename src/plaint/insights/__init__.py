"""ISO 10004:2018 clauses 7.3 to 8: analysis of satisfaction data and indirect indicators, with the
statistics (intervals, tests, sample sizes) that make the figures trustworthy, and their reports."""
