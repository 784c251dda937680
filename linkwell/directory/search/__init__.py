"""Finding services: full-text words, search points and distance, ranked results."""
