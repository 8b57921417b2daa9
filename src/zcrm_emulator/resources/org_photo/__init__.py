"""The org's photo (logo): ``/org/photo`` (OAS org_photo.json, org.json)."""
