"""Documents in: files, encodings, formats, manifest, boilerplate."""
