"""marsad.extractors."""
