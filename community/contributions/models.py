"""Member proposals for pages: a draft revision in the "Redactie" workflow, with its state."""
