"""An org's currencies: ``/org/currencies`` (OAS currencies.json, available_currencies.json)."""
