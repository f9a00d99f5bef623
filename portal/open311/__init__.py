"""Open311 GeoReport v2: the portal's complaints for other software, and a
way for approved apps to submit them (with an API key)."""
