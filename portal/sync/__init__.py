"""Two-way sync between the portal and remote complaint systems.

The connectors themselves are pluggy plugins (see `portal.plugin_api`); this
package holds what is common to all of them: the tables (cursor, outbox,
external references), the engine that pulls and pushes, and the merge of
complaints that arrived through several channels.
"""
