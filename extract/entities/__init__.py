"""Annotated documents: the spaCy pipeline, entity matchers and temporal resolution."""
