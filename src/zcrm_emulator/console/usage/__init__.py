"""The console's usage page: credits spent over the rolling 24 hours as a bar chart (SVG drawn on
the server, so the page runs no script), of every endpoint or one, and the window's usage per
endpoint."""
