"""The archive: every report and data file read, checked against each other and indexed (model), and the
queries over it (compare: a result beside the same period a year earlier, an indicator's series)."""
