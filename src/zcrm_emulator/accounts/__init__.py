"""The OAuth 2.0 accounts server (Zoho Accounts): clients, grants, tokens, consent.

routes.py            the HTTP face under /oauth (thin handlers)
grants/              one module per grant_type (validate -> issue), the registry in __init__
authorize.py         GET /oauth/v2/auth: the consent page and its answer
scope_enhance.py     GET /oauth/v2/token/addextrascope: incremental authorization
consent.py           what both consent pages share (checks, CSRF token, redirect)
revoke.py            POST /oauth/v2/token/revoke
codes.py             grant codes (consent page and Self Client)
issuing.py           refresh and access tokens under Zoho's caps; the success body
throttle.py          the "N per 10 minutes" windows
policy.py            the limits as a table of named policies (current, legacy)
scope_families.py    which scopes can be granted, and their plain words
pkce.py              PKCE (S256, plain)
clients.py           client kinds, ids, secrets, registration rules
api_console.py       create/list/delete clients;  self_client.py: the Self Client
server_info.py       public URL, data center and policy in force (published for the CLI)
tokens.py            access tokens: mint and lookup (used by the CRM gateway)
repo.py              the only SQL
errors.py            one class per wire error
(HTML)               the consent page's template is in pages/templates, with every page's
control.py, cli.py   the control plane and command-line faces
"""
