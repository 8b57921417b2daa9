"""The console's Connections pages (Setup › Developer Hub › Connections; seed "Custom Connectors"):
list connections, create a custom service, Create and Connect (a real OAuth 2.0 authorization-code
flow in the browser), see a connection and test it against a URL.

The pages follow the control plane's access rule (control/access.py): loopback clients under a name
this server is known by, or, with an admin key, a client that proves it holds the key (the header,
or the sign-in cookie of ``/console/sign-in``); never a request from another site's page. Every form
carries a CSRF token bound to a cookie (guard.py). The domain steps are in ``zcrm_emulator.connections``.
"""
