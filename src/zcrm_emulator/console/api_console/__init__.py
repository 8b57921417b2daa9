"""The console's API console (api-console.zoho.com): Server-based clients (create with their
redirect URIs, delete) and the Self Client's Generate Code tab (scopes, duration, the code)."""
