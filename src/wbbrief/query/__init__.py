"""Stage 2, queries: views of the data (tables, findings, claims, citations, editions), in a language."""
