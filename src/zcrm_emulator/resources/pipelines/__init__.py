"""``/settings/pipeline``: the pipelines of the Deals layouts, each a named, ordered choice of the
Stage picklist's values, and the transfer of deals from one pipeline to another."""
