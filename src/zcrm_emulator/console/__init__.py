"""Pages people look at (HTML, Jinja2 templates in ``templates/``): the hosted unsubscribe page."""
