"""Public figures: per-complaint facts, the aggregate tables kept from them,
and the figures read from those aggregates (never from `complaint`)."""
