"""``/Contacts/roles``: the org's contact roles, the picklist a deal's contacts take their role from."""
