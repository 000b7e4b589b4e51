"""Show it once: watch a person use apps and write the workflow in the step language."""
