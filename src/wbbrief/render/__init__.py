"""Stage 4, writers: the brief as HTML/PDF and Word, charts, templates, and views for the terminal."""
