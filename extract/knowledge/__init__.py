"""Knowledge: gazetteer loading, checking, adding, importing and suggestions."""
