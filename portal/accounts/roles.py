"""Staff roles.  The workflow says what each may do; accounts only need the names."""
ADMIN, OPERATOR, PIMPINAN, KABID, AUDITOR = "admin", "operator", "pimpinan", "kabid", "auditor"
STAFF_ROLES = (ADMIN, OPERATOR, PIMPINAN, KABID, AUDITOR)
# Roles that belong to one OPD (and a Kabid also to one bidang).
OPD_ROLES = (OPERATOR, PIMPINAN, KABID)
