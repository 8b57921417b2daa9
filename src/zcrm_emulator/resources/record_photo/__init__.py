"""A record's photo: ``/{module}/{record_id}/photo`` (OAS record_photo.json)."""
