"""The OAuth 2.0 accounts server (Zoho Accounts): clients, grants, tokens, consent."""
