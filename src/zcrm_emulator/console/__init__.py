"""Pages people look at: the hosted unsubscribe page (templates in ``pages/templates``, with every page's)."""
