"""Pages people look at (templates in ``pages/templates``, with every page's): the hosted
unsubscribe page, and the console: home, API console, data browser, usage and Connections, one
folder each, sharing ``kit.py``."""
