"""Reports: the summary builder, reminders, charts and the renderers."""
