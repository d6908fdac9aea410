"""Reading Arabic: normalisation with offsets, segmentation, tokens, numbers, dates."""
