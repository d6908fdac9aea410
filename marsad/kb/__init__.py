"""marsad.kb."""
