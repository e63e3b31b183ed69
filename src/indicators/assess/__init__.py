"""Progress over the years: one census per year against a plan's baseline and milestones."""
