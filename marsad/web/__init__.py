"""marsad.web."""
