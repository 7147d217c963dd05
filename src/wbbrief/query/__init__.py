"""The query stage: tables computed from the data, such as tabulations of survey microdata."""
