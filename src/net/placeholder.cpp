// Empty until the net sources land.
