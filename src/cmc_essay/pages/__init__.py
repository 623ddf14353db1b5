"""Pages generated from the project's data and excerpt files, for either engine."""
