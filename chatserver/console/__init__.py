"""The staff console's presentation: language catalogues and form descriptions."""
