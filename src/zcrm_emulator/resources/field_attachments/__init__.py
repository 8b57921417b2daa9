"""The files of a record's file and image upload fields: ``download_fields_attachment`` (OAS field_attachments.json)."""
