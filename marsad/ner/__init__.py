"""marsad.ner."""
