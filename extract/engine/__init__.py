"""Running the stages over a corpus."""
