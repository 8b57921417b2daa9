"""Helpers every test package may use (and the only test modules one package imports from another):

people      a second user of the org
records     fast rows through the repo, custom fields, records inserted from code
modules     custom-module create items, profile ids, editions
accounts    OAuth clients and the consent/token flows over HTTP; a frozen clock
live        the console script and the Self Client command
console     records and unsubscribe links over the API, the hosted page's form
links       custom-link create items
browser     headless Chromium through Playwright (fixtures)
oas         responses checked against Zoho's OAS files, and the named allowances
"""
