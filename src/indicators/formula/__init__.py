"""The safe expression language of plan formulas: parse (checked at load) and evaluate."""
