"""Records every layer shares: the census, findings, fields, errors and message wording."""
