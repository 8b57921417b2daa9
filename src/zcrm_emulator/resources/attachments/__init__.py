"""Record attachments: ``/{module}/{record_id}/Attachments`` (OAS attachments.json)."""
