"""Claims across sources: blocking, clustering, the register and the review log."""
