"""The web app and the REST API: an entrypoint like the CLI, calling the same services."""
