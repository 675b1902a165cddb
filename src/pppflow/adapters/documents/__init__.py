"""Documents: agreements and reports rendered (Jinja2 -> WeasyPrint PDF/A, Word), signed (PAdES) and stored."""
