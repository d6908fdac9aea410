"""marsad.link."""
