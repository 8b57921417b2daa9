"""The request journal's pages: this server process's last requests, filtered, newest first, the
list reloading itself every two seconds, and one request with its headers and bodies (secrets
redacted as the journal keeps them). Read only, over ``emulator.journal``; neither page is
journaled itself (journal/middleware.py)."""
