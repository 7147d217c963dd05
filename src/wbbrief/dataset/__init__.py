"""Stage 1, the data: the bundled tables and their schema, users' figures, countries, the figure record."""
