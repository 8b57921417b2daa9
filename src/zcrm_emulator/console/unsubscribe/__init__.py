"""The hosted unsubscribe page: what a recipient reaches from the unsubscribe link in an email.

URL form (what Zoho would put in an email footer for one link and one recipient record)::

    {public_url}/unsubscribe/{link_id}?r={org_id}.{module}.{record_id}.{signature}

The signature is an HMAC-SHA256 of the link, org, module and record under a signing key the emulator
keeps in its database, so a recipient cannot unsubscribe someone else by editing the URL
(tokens.py). The control plane hands these URLs out:
``GET /_emulator/unsubscribe_links/{id}/url?module=Leads&record_id=…`` -> ``{"url": …}``.
"""
