"""The data stage: the bundled tables, the user's figures and respondent-level survey files."""
